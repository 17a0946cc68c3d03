package org.integral4j.grid;

import java.util.Arrays;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable one-dimensional grid: {@code n >= 2} strictly increasing points on the
 * continuous domain {@code [-1, 1]} at which a weight function is sampled (one grid point per
 * channel). Integral layers sample their continuous axes on such grids; quadratures turn them
 * into integration weights.
 *
 * <p>Factories: {@link #uniform(int)} ({@code linspace(-1, 1, n)}, the grid of an integral layer
 * at any size), {@link #legendre(int)} (Gauss-Legendre nodes), {@link #cellCentered(int)}
 * (centres of {@code n} equal cells, the natural grid of the midpoint rule) and
 * {@link #of(double...)} for any valid set of points.
 *
 * <p>Invariants (checked by every factory, each failure an {@link IllegalArgumentException}
 * naming the expected and actual values): size at least {@link #MIN_SIZE}, every point finite
 * and inside {@code [-1, 1]}, points strictly increasing.
 */
public final class Grid1D {

    /** The smallest grid: two points. A quadrature needs at least one interval. */
    public static final int MIN_SIZE = 2;

    private final double[] points;

    private Grid1D(double[] points) {
        this.points = points;
    }

    /**
     * The uniform grid {@code x_i = -1 + 2 i / (n - 1)}, {@code i = 0..n-1}; both ends are exact.
     *
     * @param n number of points, at least {@link #MIN_SIZE}
     * @return the grid
     */
    public static Grid1D uniform(int n) {
        Checks.requireAtLeast("Grid1D.uniform", "grid size", n, MIN_SIZE, "");
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1.0 + 2.0 * i / (n - 1);
        }
        x[n - 1] = 1.0;
        return new Grid1D(x);
    }

    /**
     * The Gauss-Legendre nodes of order {@code n}: the roots of the Legendre polynomial
     * {@code P_n} in increasing order, accurate to about 1e-15.
     *
     * @param n number of nodes, at least {@link #MIN_SIZE}
     * @return the grid
     */
    public static Grid1D legendre(int n) {
        Checks.requireAtLeast("Grid1D.legendre", "grid size", n, MIN_SIZE, "");
        return new Grid1D(Legendre.nodes(n));
    }

    /**
     * The centres of {@code n} equal cells tiling {@code [-1, 1]}:
     * {@code x_i = -1 + (2 i + 1) / n}. The grid of the midpoint rule.
     *
     * @param n number of points, at least {@link #MIN_SIZE}
     * @return the grid
     */
    public static Grid1D cellCentered(int n) {
        Checks.requireAtLeast("Grid1D.cellCentered", "grid size", n, MIN_SIZE, "");
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1.0 + (2.0 * i + 1.0) / n;
        }
        return new Grid1D(x);
    }

    /**
     * A grid with the given points.
     *
     * @param points strictly increasing finite points in {@code [-1, 1]}, at least
     *               {@link #MIN_SIZE} of them (copied, not modified)
     * @return the grid
     * @throws IllegalArgumentException naming the offending point when an invariant fails
     */
    public static Grid1D of(double... points) {
        Checks.requireNonNull("Grid1D.of", "points", points);
        double[] x = points.clone();
        validate("Grid1D.of", x);
        return new Grid1D(x);
    }

    /**
     * A grid read from a rank-1 array (or any array with one non-unit axis).
     *
     * @param points the points (not modified)
     * @return the grid
     */
    public static Grid1D of(INDArray points) {
        Checks.requireNonNull("Grid1D.of", "points", points);
        Checks.require(points.isVector() || points.length() == 1, "Grid1D.of",
                "points must be a vector, got shape %s.", Arrays.toString(points.shape()));
        return of(points.castTo(DataType.DOUBLE).toDoubleVector());
    }

    static void validate(String where, double[] x) {
        Checks.requireAtLeast(where, "grid size", x.length, MIN_SIZE,
                "A grid needs at least two points; resize the group to 2 or more channels.");
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || x[i] < -1.0 || x[i] > 1.0) {
                throw new IllegalArgumentException(where + ": grid point " + i + " must be a finite value in [-1, 1], got "
                        + x[i] + ".");
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new IllegalArgumentException(where + ": grid points must be strictly increasing, got x[" + (i - 1)
                        + "] = " + x[i - 1] + " and x[" + i + "] = " + x[i] + ". Sort the points and remove duplicates.");
            }
        }
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
     * One point.
     *
     * @param i index in {@code [0, size())}
     * @return the point
     */
    public double point(int i) {
        return points[i];
    }

    /**
     * The points.
     *
     * @return a copy of the points, increasing
     */
    public double[] points() {
        return points.clone();
    }

    /**
     * The points as a rank-1 array.
     *
     * @param type the data type
     * @return a new array of shape {@code (size)}
     */
    public INDArray toINDArray(DataType type) {
        return Nd4j.createFromArray(points).castTo(type);
    }

    /**
     * Whether the points are equally spaced, up to {@code relTol} times the mean spacing.
     *
     * @param relTol relative tolerance, e.g. 1e-9 for double grids, 1e-5 for grids read from float
     * @return true when uniform
     */
    public boolean isUniform(double relTol) {
        double h = (points[points.length - 1] - points[0]) / (points.length - 1);
        for (int i = 1; i < points.length; i++) {
            if (Math.abs(points[i] - points[i - 1] - h) > relTol * h) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this grid equals another point by point within {@code absTol}.
     *
     * @param other  the other grid
     * @param absTol absolute tolerance
     * @return true when both have the same size and close points
     */
    public boolean approximatelyEquals(Grid1D other, double absTol) {
        if (other.points.length != points.length) {
            return false;
        }
        for (int i = 0; i < points.length; i++) {
            if (Math.abs(points[i] - other.points[i]) > absTol) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid1D && Arrays.equals(points, ((Grid1D) o).points);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(points);
    }

    @Override
    public String toString() {
        if (points.length <= 8) {
            return "Grid1D" + Arrays.toString(points);
        }
        return "Grid1D[size=" + points.length + ", " + points[0] + ", " + points[1] + ", ..., "
                + points[points.length - 1] + "]";
    }
}
