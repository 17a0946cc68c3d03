package org.integral4j.quadrature;

import org.integral4j.grid.Grid1D;

/**
 * A one-dimensional quadrature rule on {@code [-1, 1]}: weights {@code w_i} such that
 * {@code sum_i w_i f(x_i)} approximates {@code integral_{-1}^{1} f(x) dx} for the points
 * {@code x_i} of a grid. In an integral layer the weights multiply the sampled weight function
 * along its input axis (Solodskikh et al., CVPR 2023, eq. 3).
 *
 * <p>A rule may accept only some grids (Simpson: uniform with an odd count; Gauss-Legendre: its
 * own nodes); it then rejects others with an {@link IllegalArgumentException} that names the
 * grid and the fix. Implement this interface for a user-defined rule.
 */
public interface Quadrature {

    /**
     * The weights of this rule on a grid.
     *
     * @param grid the grid (not modified)
     * @return one weight per point
     * @throws IllegalArgumentException when this rule cannot integrate on {@code grid}
     */
    double[] weights(Grid1D grid);

    /**
     * A short name for messages and logs.
     *
     * @return the name
     */
    String name();
}
