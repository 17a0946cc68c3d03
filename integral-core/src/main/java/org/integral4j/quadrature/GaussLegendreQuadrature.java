package org.integral4j.quadrature;

import org.integral4j.grid.Grid1D;
import org.integral4j.grid.Legendre;
import org.integral4j.util.Checks;

/**
 * Gauss-Legendre quadrature: on the {@code n} roots of {@code P_n} the weights
 * {@code w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)} integrate every polynomial of degree up to
 * {@code 2n - 1} exactly. The weights are only valid on those nodes, so any other grid is
 * rejected (TorchIntegral returns the weights for whatever points it is given).
 */
public final class GaussLegendreQuadrature implements Quadrature {

    /** The rule; it has no configuration. */
    public static final GaussLegendreQuadrature INSTANCE = new GaussLegendreQuadrature();

    /** Absolute tolerance when comparing a grid with the nodes (accepts float32 copies). */
    public static final double NODE_TOLERANCE = 1e-6;

    private GaussLegendreQuadrature() {
    }

    @Override
    public double[] weights(Grid1D grid) {
        Checks.requireNonNull("GaussLegendreQuadrature", "grid", grid);
        int n = grid.size();
        double[] nodes = Legendre.nodes(n);
        for (int i = 0; i < n; i++) {
            if (Math.abs(nodes[i] - grid.point(i)) > NODE_TOLERANCE) {
                throw new IllegalArgumentException("GaussLegendreQuadrature: the grid's point " + i + " is "
                        + grid.point(i) + ", expected the Gauss-Legendre node " + nodes[i] + " of order " + n
                        + ". Its weights are only valid on its own nodes: use Grid1D.legendre(" + n + ").");
            }
        }
        return Legendre.weights(n);
    }

    @Override
    public String name() {
        return "gauss-legendre";
    }

    @Override
    public String toString() {
        return "GaussLegendreQuadrature";
    }
}
