package org.integral4j.quadrature;

import org.integral4j.grid.Grid1D;
import org.integral4j.util.Checks;

/**
 * The composite trapezoidal rule on any grid (the only rule TorchIntegral's layers use):
 * {@code w_0 = (x_1 - x_0) / 2}, {@code w_i = (x_{i+1} - x_{i-1}) / 2},
 * {@code w_{n-1} = (x_{n-1} - x_{n-2}) / 2}. It integrates over {@code [x_0, x_{n-1}]}, which is
 * {@code [-1, 1]} for grids that contain both ends; error {@code O(h^2)} for smooth integrands.
 * On {@code linspace(-1, 1, n)}: interior weights {@code 2 / (n - 1)}, ends {@code 1 / (n - 1)}.
 */
public final class TrapezoidalQuadrature implements DifferentiableQuadrature {

    /** The rule; it has no configuration. */
    public static final TrapezoidalQuadrature INSTANCE = new TrapezoidalQuadrature();

    private TrapezoidalQuadrature() {
    }

    @Override
    public double[] weights(Grid1D grid) {
        Checks.requireNonNull("TrapezoidalQuadrature", "grid", grid);
        int n = grid.size();
        double[] w = new double[n];
        w[0] = 0.5 * (grid.point(1) - grid.point(0));
        for (int i = 1; i < n - 1; i++) {
            w[i] = 0.5 * (grid.point(i + 1) - grid.point(i - 1));
        }
        w[n - 1] = 0.5 * (grid.point(n - 1) - grid.point(n - 2));
        return w;
    }

    @Override
    public double[] weightsVjp(Grid1D grid, double[] upstream) {
        int n = grid.size();
        Checks.require(upstream.length == n, "TrapezoidalQuadrature", "upstream must have %d values, got %d.", n,
                upstream.length);
        double[] dx = new double[n];
        // w_0 = (x_1 - x_0)/2, w_{n-1} = (x_{n-1} - x_{n-2})/2, w_i = (x_{i+1} - x_{i-1})/2.
        dx[0] -= 0.5 * upstream[0];
        dx[1] += 0.5 * upstream[0];
        dx[n - 1] += 0.5 * upstream[n - 1];
        dx[n - 2] -= 0.5 * upstream[n - 1];
        for (int i = 1; i < n - 1; i++) {
            dx[i + 1] += 0.5 * upstream[i];
            dx[i - 1] -= 0.5 * upstream[i];
        }
        return dx;
    }

    @Override
    public String name() {
        return "trapezoidal";
    }

    @Override
    public String toString() {
        return "TrapezoidalQuadrature";
    }
}
