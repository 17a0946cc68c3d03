package org.integral4j.function;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link WeightFunction#backward}: the gradient with respect to {@code lambda} and,
 * when requested, with respect to the grid points of every continuous axis.
 */
public final class WeightGradients {

    private final INDArray lambda;
    private final double[][] grids;

    WeightGradients(INDArray lambda, double[][] grids) {
        this.lambda = lambda;
        this.grids = grids;
    }

    /**
     * {@code dL/d lambda}.
     *
     * @return an array of lambda's shape and type
     */
    public INDArray lambda() {
        return lambda;
    }

    /**
     * Whether grid gradients were computed.
     *
     * @return true when {@link #grid(int)} is available
     */
    public boolean hasGridGradients() {
        return grids != null;
    }

    /**
     * {@code dL/dx} for the grid of one continuous axis.
     *
     * @param continuousIndex index among the continuous axes (0 or 1)
     * @return one derivative per grid point (a copy)
     * @throws IllegalStateException when grid gradients were not requested
     */
    public double[] grid(int continuousIndex) {
        if (grids == null) {
            throw new IllegalStateException("Grid gradients were not requested: call backward(..., true, ...).");
        }
        return grids[continuousIndex].clone();
    }
}
