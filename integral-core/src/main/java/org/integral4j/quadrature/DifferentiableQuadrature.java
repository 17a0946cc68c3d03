package org.integral4j.quadrature;

import org.integral4j.grid.Grid1D;

/**
 * A quadrature whose weights are differentiable functions of the grid points on any valid grid,
 * so that it can be used with trainable grids.
 */
public interface DifferentiableQuadrature extends Quadrature {

    /**
     * The vector-Jacobian product of the weights: given {@code g_i = dL/dw_i}, returns
     * {@code dL/dx_j = sum_i g_i dw_i/dx_j}.
     *
     * @param grid     the grid (not modified)
     * @param upstream {@code dL/dw}, one value per point (not modified)
     * @return {@code dL/dx}, one value per point
     */
    double[] weightsVjp(Grid1D grid, double[] upstream);
}
