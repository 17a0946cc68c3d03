package org.integral4j.grid;

import java.util.Arrays;
import org.integral4j.util.Checks;

/**
 * A grid whose points are trainable parameters (TorchIntegral's {@code TrainableGrid1D}; the
 * paper's "grid tuning"). This is mutable state: methods that change it end in
 * {@code InPlace}.
 *
 * <p>After every change the points are projected back to a valid grid:
 * <ol>
 *   <li>sorted (a consistent reordering of the channels of a group leaves the network function
 *       unchanged, because every layer of the group samples the same grid);</li>
 *   <li>clamped to {@code [-1, 1]};</li>
 *   <li>with {@link Endpoints#PINNED} (the default) the first and last point stay at -1 and 1, so
 *       the grid keeps covering the whole domain and the quadrature integrates over
 *       {@code [-1, 1]}; with {@link Endpoints#FREE} they move like the others;</li>
 *   <li>separated by at least {@code minGapFraction * 2 / (n - 1)}, so no two channels collapse
 *       onto one point and the trapezoid weights stay positive.</li>
 * </ol>
 */
public final class TrainableGrid {

    /** How the two end points are treated. */
    public enum Endpoints {
        /** The ends stay at -1 and 1; their gradients are dropped. */
        PINNED,
        /** The ends move like interior points (kept inside [-1, 1]). */
        FREE
    }

    /** Default smallest gap between neighbours, as a fraction of the uniform spacing. */
    public static final double DEFAULT_MIN_GAP_FRACTION = 1e-3;

    private final double[] points;
    private final Endpoints endpoints;
    private final double minGap;

    private TrainableGrid(double[] points, Endpoints endpoints, double minGapFraction) {
        this.points = points;
        this.endpoints = endpoints;
        this.minGap = minGapFraction * 2.0 / (points.length - 1);
        project();
    }

    /**
     * A trainable grid starting at the points of {@code initial}.
     *
     * @param initial   the initial points
     * @param endpoints how the ends are treated
     * @return the grid
     */
    public static TrainableGrid from(Grid1D initial, Endpoints endpoints) {
        return from(initial, endpoints, DEFAULT_MIN_GAP_FRACTION);
    }

    /**
     * A trainable grid starting at the points of {@code initial}.
     *
     * @param initial        the initial points
     * @param endpoints      how the ends are treated
     * @param minGapFraction smallest gap between neighbours as a fraction of {@code 2 / (n - 1)},
     *                       in {@code [0, 1)}
     * @return the grid
     */
    public static TrainableGrid from(Grid1D initial, Endpoints endpoints, double minGapFraction) {
        Checks.requireNonNull("TrainableGrid", "initial grid", initial);
        Checks.requireNonNull("TrainableGrid", "endpoints", endpoints);
        Checks.require(minGapFraction >= 0 && minGapFraction < 1, "TrainableGrid",
                "minGapFraction must be in [0, 1), got %s.", minGapFraction);
        return new TrainableGrid(initial.points(), endpoints, minGapFraction);
    }

    /**
     * The current points as an immutable grid.
     *
     * @return a snapshot
     */
    public Grid1D current() {
        return Grid1D.of(points);
    }

    /**
     * Number of points.
     *
     * @return the size
     */
    public int size() {
        return points.length;
    }

    /**
     * How the ends are treated.
     *
     * @return the policy
     */
    public Endpoints endpoints() {
        return endpoints;
    }

    /**
     * Adds {@code delta} to the points, then projects them to a valid grid (class comment).
     * Modifies this grid; {@code delta} is not modified.
     *
     * @param delta one change per point
     */
    public void addInPlace(double[] delta) {
        requireLength("delta", delta);
        for (int i = 0; i < points.length; i++) {
            points[i] += delta[i];
        }
        project();
    }

    /**
     * Replaces the points, then projects them to a valid grid. Modifies this grid.
     *
     * @param newPoints one value per point (not modified)
     */
    public void setInPlace(double[] newPoints) {
        requireLength("points", newPoints);
        System.arraycopy(newPoints, 0, points, 0, points.length);
        project();
    }

    /**
     * Zeroes the gradient entries of points that do not move (the ends when
     * {@link Endpoints#PINNED}). Modifies {@code gradient}.
     *
     * @param gradient one derivative per point
     * @return {@code gradient}
     */
    public double[] maskGradientInPlace(double[] gradient) {
        requireLength("gradient", gradient);
        if (endpoints == Endpoints.PINNED) {
            gradient[0] = 0;
            gradient[gradient.length - 1] = 0;
        }
        return gradient;
    }

    private void requireLength(String what, double[] values) {
        Checks.requireNonNull("TrainableGrid", what, values);
        Checks.require(values.length == points.length, "TrainableGrid",
                "%s must have one value per grid point: expected %d, got %d.", what, points.length, values.length);
        Checks.requireFinite("TrainableGrid", what, values);
    }

    private void project() {
        int n = points.length;
        Arrays.sort(points);
        for (int i = 0; i < n; i++) {
            points[i] = Math.max(-1.0, Math.min(1.0, points[i]));
        }
        if (endpoints == Endpoints.PINNED) {
            points[0] = -1.0;
            points[n - 1] = 1.0;
        }
        for (int i = 1; i < n; i++) {
            points[i] = Math.max(points[i], points[i - 1] + minGap);
        }
        if (points[n - 1] > 1.0 || endpoints == Endpoints.PINNED) {
            points[n - 1] = Math.min(points[n - 1], 1.0);
            for (int i = n - 2; i >= 0; i--) {
                points[i] = Math.min(points[i], points[i + 1] - minGap);
            }
        }
        if (minGap == 0) {
            // Without a gap, duplicates would survive; nudge them apart by one ulp.
            for (int i = 1; i < n; i++) {
                if (points[i] <= points[i - 1]) {
                    points[i] = Math.nextUp(points[i - 1]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TrainableGrid[" + endpoints + ", " + current() + "]";
    }
}
