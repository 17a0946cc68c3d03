package org.integral4j.quadrature;

import org.integral4j.grid.Grid1D;
import org.integral4j.util.Checks;

/**
 * Rectangle (Riemann-sum) rules, each a real rectangle rule rather than TorchIntegral's
 * "Riemann" rule, which returns the trapezoid weights.
 *
 * <ul>
 *   <li>{@link Rule#LEFT}: each point is the left end of its rectangle,
 *       {@code w_i = x_{i+1} - x_i}, {@code w_{n-1} = 0}; integrates over {@code [x_0, x_{n-1}]}
 *       with error {@code O(h)}.</li>
 *   <li>{@link Rule#RIGHT}: each point is the right end, {@code w_0 = 0},
 *       {@code w_i = x_i - x_{i-1}}; {@code O(h)}.</li>
 *   <li>{@link Rule#MIDPOINT}: each point is the centre of its rectangle and the rectangles tile
 *       {@code [-1, 1]}: cell edges {@code c_0 = -1}, {@code c_{i+1} = 2 x_i - c_i}, and
 *       {@code w_i = c_{i+1} - c_i}; {@code O(h^2)}. Only grids whose points are such centres
 *       are accepted (e.g. {@link Grid1D#cellCentered(int)}); others are rejected, because no
 *       tiling of {@code [-1, 1]} has them as midpoints.</li>
 * </ul>
 */
public final class RectangleQuadrature implements DifferentiableQuadrature {

    /** Where in its rectangle each point sits. */
    public enum Rule {
        /** Left end. */
        LEFT,
        /** Right end. */
        RIGHT,
        /** Centre; the rectangles tile [-1, 1]. */
        MIDPOINT
    }

    /** Tolerance of the midpoint rule's tiling check (absolute, on [-1, 1]). */
    public static final double MIDPOINT_TILING_TOLERANCE = 1e-6;

    /** Cells narrower than this make the midpoint rule reject the grid. */
    public static final double MIN_CELL_WIDTH = 1e-9;

    private final Rule rule;

    /**
     * Creates the rule.
     *
     * @param rule where each point sits in its rectangle
     */
    public RectangleQuadrature(Rule rule) {
        this.rule = Checks.requireNonNull("RectangleQuadrature", "rule", rule);
    }

    /**
     * The rule.
     *
     * @return where each point sits
     */
    public Rule rule() {
        return rule;
    }

    @Override
    public double[] weights(Grid1D grid) {
        Checks.requireNonNull(name(), "grid", grid);
        int n = grid.size();
        double[] w = new double[n];
        switch (rule) {
            case LEFT:
                for (int i = 0; i < n - 1; i++) {
                    w[i] = grid.point(i + 1) - grid.point(i);
                }
                return w;
            case RIGHT:
                for (int i = 1; i < n; i++) {
                    w[i] = grid.point(i) - grid.point(i - 1);
                }
                return w;
            case MIDPOINT:
                double[] edges = midpointEdges(grid);
                for (int i = 0; i < n; i++) {
                    w[i] = edges[i + 1] - edges[i];
                }
                return w;
            default:
                throw new AssertionError(rule);
        }
    }

    private double[] midpointEdges(Grid1D grid) {
        int n = grid.size();
        double[] c = new double[n + 1];
        c[0] = -1.0;
        for (int i = 0; i < n; i++) {
            c[i + 1] = 2.0 * grid.point(i) - c[i];
            if (c[i + 1] - c[i] <= MIN_CELL_WIDTH) {
                throw notTiling(grid, "cell " + i + " would have width " + (c[i + 1] - c[i]));
            }
        }
        if (Math.abs(c[n] - 1.0) > MIDPOINT_TILING_TOLERANCE) {
            throw notTiling(grid, "the cells would end at " + c[n] + ", expected 1");
        }
        return c;
    }

    private IllegalArgumentException notTiling(Grid1D grid, String detail) {
        return new IllegalArgumentException(name() + ": the points of " + grid
                + " are not the centres of cells tiling [-1, 1] (" + detail
                + "). Use Grid1D.cellCentered(n), or the trapezoidal rule for grids that contain -1 and 1.");
    }

    @Override
    public double[] weightsVjp(Grid1D grid, double[] upstream) {
        int n = grid.size();
        Checks.require(upstream.length == n, name(), "upstream must have %d values, got %d.", n, upstream.length);
        double[] dx = new double[n];
        switch (rule) {
            case LEFT:
                for (int i = 0; i < n - 1; i++) {
                    dx[i + 1] += upstream[i];
                    dx[i] -= upstream[i];
                }
                return dx;
            case RIGHT:
                for (int i = 1; i < n; i++) {
                    dx[i] += upstream[i];
                    dx[i - 1] -= upstream[i];
                }
                return dx;
            case MIDPOINT:
                midpointEdges(grid);
                // c_{k} = 2 x_{k-1} - 2 x_{k-2} + ... +- c_0, so dc_{k}/dx_j = 2 (-1)^{k-1-j} for j < k;
                // w_i = c_{i+1} - c_i. Accumulate dL/dc first, then dL/dx.
                double[] dc = new double[n + 1];
                for (int i = 0; i < n; i++) {
                    dc[i + 1] += upstream[i];
                    dc[i] -= upstream[i];
                }
                // Backward through c_{i+1} = 2 x_i - c_i (c_0 is fixed).
                for (int i = n - 1; i >= 0; i--) {
                    dx[i] += 2.0 * dc[i + 1];
                    dc[i] -= dc[i + 1];
                }
                return dx;
            default:
                throw new AssertionError(rule);
        }
    }

    @Override
    public String name() {
        return "rectangle(" + rule.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        return "RectangleQuadrature[" + rule + "]";
    }
}
