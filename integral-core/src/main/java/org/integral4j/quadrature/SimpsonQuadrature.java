package org.integral4j.quadrature;

import org.integral4j.grid.Grid1D;
import org.integral4j.util.Checks;

/**
 * Composite Simpson's rule: {@code w = h/3 * [1, 4, 2, 4, ..., 2, 4, 1]} on a uniform grid with
 * an odd number of points (an even number of intervals); error {@code O(h^4)} for smooth
 * integrands. Other grids are rejected with a clear error (TorchIntegral silently applies the
 * pattern to any grid, using only the first spacing).
 */
public final class SimpsonQuadrature implements Quadrature {

    /** The rule; it has no configuration. */
    public static final SimpsonQuadrature INSTANCE = new SimpsonQuadrature();

    /** Relative tolerance of the uniform-spacing check (accepts grids read from float32). */
    public static final double UNIFORM_TOLERANCE = 1e-5;

    private SimpsonQuadrature() {
    }

    @Override
    public double[] weights(Grid1D grid) {
        Checks.requireNonNull("SimpsonQuadrature", "grid", grid);
        int n = grid.size();
        if (n % 2 == 0) {
            throw new IllegalArgumentException("SimpsonQuadrature: needs an odd number of points (an even number of "
                    + "intervals), got " + n + ". Use " + (n + 1) + " or " + (n - 1)
                    + " points, or the trapezoidal rule.");
        }
        if (!grid.isUniform(UNIFORM_TOLERANCE)) {
            throw new IllegalArgumentException("SimpsonQuadrature: needs equally spaced points, got " + grid
                    + ". Use Grid1D.uniform(n), or the trapezoidal rule for non-uniform grids.");
        }
        double h = (grid.point(n - 1) - grid.point(0)) / (n - 1);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double c = (i == 0 || i == n - 1) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
            w[i] = c * h / 3.0;
        }
        return w;
    }

    @Override
    public String name() {
        return "simpson";
    }

    @Override
    public String toString() {
        return "SimpsonQuadrature";
    }
}
