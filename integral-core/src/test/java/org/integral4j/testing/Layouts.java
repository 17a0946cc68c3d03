package org.integral4j.testing;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conversions from TorchIntegral's lambda layouts to Integral4J's canonical layout
 * (docs/ARCHITECTURE.md, "Reference conventions": two and one continuous axes).
 */
public final class Layouts {

    private Layouts() {
    }

    /**
     * A 1-D lambda {@code [1, planes, n, 1]} (planes = discrete axes in row-major order, the
     * continuous axis moved last) to the weight layout with the continuous axis at {@code contDim}.
     *
     * @param lambda        the reference lambda
     * @param discreteShape sizes of the discrete axes, in weight order (may be empty)
     * @param contDim       the continuous axis in the weight layout
     * @return a new 'c' array
     */
    public static INDArray lambda1d(INDArray lambda, long[] discreteShape, int contDim) {
        long n = lambda.size(2);
        long[] shape = new long[discreteShape.length + 1];
        System.arraycopy(discreteShape, 0, shape, 0, discreteShape.length);
        shape[discreteShape.length] = n;
        INDArray x = lambda.dup('c').reshape('c', shape);
        return moveAxis(x, discreteShape.length, contDim);
    }

    /**
     * A 2-D lambda {@code [1, planes, out, in]} to {@code (out, in, discrete...)}.
     *
     * @param lambda        the reference lambda
     * @param discreteShape sizes of the discrete axes (may be empty)
     * @return a new 'c' array
     */
    public static INDArray lambda2d(INDArray lambda, long[] discreteShape) {
        long[] shape = new long[discreteShape.length + 2];
        System.arraycopy(discreteShape, 0, shape, 0, discreteShape.length);
        shape[discreteShape.length] = lambda.size(2);
        shape[discreteShape.length + 1] = lambda.size(3);
        INDArray x = lambda.dup('c').reshape('c', shape);
        int[] perm = new int[shape.length];
        perm[0] = discreteShape.length;
        perm[1] = discreteShape.length + 1;
        for (int i = 0; i < discreteShape.length; i++) {
            perm[i + 2] = i;
        }
        return x.permute(perm).dup('c');
    }

    /**
     * Moves one axis to another position, keeping the others in order.
     *
     * @param x    the array (not modified)
     * @param from current position
     * @param to   new position
     * @return a new 'c' array
     */
    public static INDArray moveAxis(INDArray x, int from, int to) {
        int rank = x.rank();
        int[] perm = new int[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (i == to) {
                perm[i] = from;
            } else {
                if (k == from) {
                    k++;
                }
                perm[i] = k++;
            }
        }
        return x.permute(perm).dup('c');
    }
}
