package org.integral4j.interp;

import java.util.stream.IntStream;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix {@code A (n x m)} that samples a function given at {@code m} knots (values on
 * {@code linspace(-1, 1, m)}) at {@code n} points by cubic convolution, exactly as PyTorch's
 * {@code grid_sample(mode="bicubic", padding_mode="border", align_corners=True)}
 * (docs/ARCHITECTURE.md, "Reference conventions": kernel, sample positions, border):
 * <ul>
 *   <li>index {@code ix = (x + 1) * ((m - 1) / 2)}, {@code i0 = floor(ix)}, {@code t = ix - i0};</li>
 *   <li>taps {@code i0-1 .. i0+2}, each clamped to {@code [0, m-1]} (border padding clamps the
 *       taps, not the coordinate);</li>
 *   <li>coefficients from {@link CubicConvolution#coefficients}.</li>
 * </ul>
 * Each row has at most four non-zeros, so the matrix is stored as four (index, coefficient) taps
 * per row together with {@code dA/dx}, the derivative of each row with respect to its point
 * ({@code dc/dt * (m - 1) / 2}). Points outside {@code [-1, 1]} are accepted here (as in
 * PyTorch); {@link org.integral4j.grid.Grid1D} is where points are validated.
 *
 * <p>The kernels apply the matrix along one axis of a row-major tensor viewed as
 * {@code (outer, axis, inner)}; they run in parallel for large tensors.
 */
public final class InterpolationMatrix {

    /** Taps per row. */
    public static final int TAPS = 4;

    /** Largest deviation from the identity that {@link #isIdentity()} still treats as identity. */
    public static final double IDENTITY_TOLERANCE = 1e-12;

    private static final long PARALLEL_WORK = 1L << 16;

    private final int rows;
    private final int cols;
    private final int[] index;
    private final double[] coef;
    private final double[] slope;
    private final boolean identity;
    /** Column-major view of the taps for the transposed kernels: taps of column j are {@code byColumn[colStart[j] .. colStart[j+1])}. */
    private final int[] colStart;
    /** Flat tap positions {@code i * TAPS + k}, grouped by column, increasing within a column. */
    private final int[] byColumn;

    private InterpolationMatrix(int rows, int cols, int[] index, double[] coef, double[] slope) {
        this.rows = rows;
        this.cols = cols;
        this.index = index;
        this.coef = coef;
        this.slope = slope;
        this.identity = computeIdentity();
        this.colStart = new int[cols + 1];
        for (int t = 0; t < index.length; t++) {
            colStart[index[t] + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            colStart[j + 1] += colStart[j];
        }
        this.byColumn = new int[index.length];
        int[] fill = java.util.Arrays.copyOf(colStart, cols);
        for (int t = 0; t < index.length; t++) {
            byColumn[fill[index[t]]++] = t;
        }
    }

    /**
     * Builds the matrix sampling {@code cols} knots at {@code points}.
     *
     * @param points finite sample points (any values; not modified)
     * @param cols   number of knots {@code m}, at least 1
     * @return the {@code (points.length x cols)} matrix
     */
    public static InterpolationMatrix build(double[] points, int cols) {
        Checks.requireNonNull("InterpolationMatrix", "points", points);
        Checks.requireAtLeast("InterpolationMatrix", "number of knots", cols, 1, "");
        Checks.requireFinite("InterpolationMatrix", "points", points);
        int n = points.length;
        int[] index = new int[n * TAPS];
        double[] coef = new double[n * TAPS];
        double[] slope = new double[n * TAPS];
        double halfSpan = (cols - 1) / 2.0;
        double[] c = new double[TAPS];
        double[] d = new double[TAPS];
        for (int i = 0; i < n; i++) {
            double ix = (points[i] + 1.0) * halfSpan;
            double i0 = Math.floor(ix);
            double t = ix - i0;
            CubicConvolution.coefficients(t, c);
            CubicConvolution.derivatives(t, d);
            for (int k = 0; k < TAPS; k++) {
                double tap = i0 - 1 + k;
                index[i * TAPS + k] = (int) Math.max(0, Math.min(cols - 1, tap));
                coef[i * TAPS + k] = c[k];
                slope[i * TAPS + k] = d[k] * halfSpan;
            }
        }
        return new InterpolationMatrix(n, cols, index, coef, slope);
    }

    private boolean computeIdentity() {
        if (rows != cols) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            double diagonal = 0;
            double off = 0;
            for (int k = 0; k < TAPS; k++) {
                if (index[i * TAPS + k] == i) {
                    diagonal += coef[i * TAPS + k];
                } else {
                    off += Math.abs(coef[i * TAPS + k]);
                }
            }
            if (Math.abs(diagonal - 1.0) > IDENTITY_TOLERANCE || off > IDENTITY_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Number of sample points {@code n}.
     *
     * @return the row count
     */
    public int rows() {
        return rows;
    }

    /**
     * Number of knots {@code m}.
     *
     * @return the column count
     */
    public int cols() {
        return cols;
    }

    /**
     * Whether this matrix is the identity within {@link #IDENTITY_TOLERANCE} (the points are the
     * knots themselves: full size on a uniform grid).
     *
     * @return true for the identity
     */
    public boolean isIdentity() {
        return identity;
    }

    /**
     * The dense matrix.
     *
     * @param derivative false for {@code A}, true for {@code dA/dx} (row {@code i} differentiated
     *                   with respect to point {@code i})
     * @return a new {@code double[n][m]}
     */
    public double[][] toArray(boolean derivative) {
        double[] values = derivative ? slope : coef;
        double[][] dense = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < TAPS; k++) {
                dense[i][index[i * TAPS + k]] += values[i * TAPS + k];
            }
        }
        return dense;
    }

    /**
     * The dense matrix as an array.
     *
     * @param derivative false for {@code A}, true for {@code dA/dx}
     * @param type       data type of the result
     * @return a new {@code (n, m)} array
     */
    public INDArray toINDArray(boolean derivative, DataType type) {
        return Nd4j.createFromArray(toArray(derivative)).castTo(type);
    }

    /**
     * Applies the matrix along the middle axis: {@code dst[o, i, s] = rowScale[i] *
     * sum_k A[i, k] src[o, k, s]}.
     *
     * @param src        input of shape {@code (outer, m, inner)}, row-major (not modified)
     * @param outer      product of the axes before
     * @param inner      product of the axes after
     * @param rowScale   a factor per row, or null for none (not modified)
     * @param derivative use {@code dA/dx} instead of {@code A}
     * @return a new array of shape {@code (outer, n, inner)}
     */
    public double[] apply(double[] src, int outer, int inner, double[] rowScale, boolean derivative) {
        requireLength("src", src, (long) outer * cols * inner);
        double[] values = derivative ? slope : coef;
        double[] dst = new double[outer * rows * inner];
        forRanges(outer, inner, (long) outer * rows * inner * TAPS, (o0, o1, s0, s1) -> {
            for (int o = o0; o < o1; o++) {
                int srcBase = o * cols * inner;
                for (int i = 0; i < rows; i++) {
                    int dstBase = (o * rows + i) * inner;
                    double scale = rowScale == null ? 1.0 : rowScale[i];
                    for (int k = 0; k < TAPS; k++) {
                        double w = values[i * TAPS + k] * scale;
                        if (w == 0.0) {
                            continue;
                        }
                        int from = srcBase + index[i * TAPS + k] * inner;
                        for (int s = s0; s < s1; s++) {
                            dst[dstBase + s] += w * src[from + s];
                        }
                    }
                }
            }
        });
        return dst;
    }

    /**
     * Applies the transpose along the middle axis: {@code dst[o, k, s] = sum_i A[i, k]
     * rowScale[i] src[o, i, s]} (the backward pass of {@link #apply}).
     *
     * @param src      input of shape {@code (outer, n, inner)}, row-major (not modified)
     * @param outer    product of the axes before
     * @param inner    product of the axes after
     * @param rowScale a factor per row, or null for none (not modified)
     * @return a new array of shape {@code (outer, m, inner)}
     */
    public double[] applyTransposed(double[] src, int outer, int inner, double[] rowScale) {
        requireLength("src", src, (long) outer * rows * inner);
        double[] dst = new double[outer * cols * inner];
        forRanges(outer, inner, (long) outer * rows * inner * TAPS, (o0, o1, s0, s1) -> {
            for (int o = o0; o < o1; o++) {
                int dstBase = o * cols * inner;
                for (int i = 0; i < rows; i++) {
                    int srcBase = (o * rows + i) * inner;
                    double scale = rowScale == null ? 1.0 : rowScale[i];
                    for (int k = 0; k < TAPS; k++) {
                        double w = coef[i * TAPS + k] * scale;
                        if (w == 0.0) {
                            continue;
                        }
                        int to = dstBase + index[i * TAPS + k] * inner;
                        for (int s = s0; s < s1; s++) {
                            dst[to + s] += w * src[srcBase + s];
                        }
                    }
                }
            }
        });
        return dst;
    }

    /**
     * {@link #apply} without allocation, in double precision: {@code dst[o, i, s] = rowScale[i] *
     * sum_k A[i, k] src[o, k, s]}, overwriting the first {@code outer * n * inner} elements of
     * {@code dst}. The sum runs over the four taps in order, so the result equals {@link #apply}'s.
     *
     * @param src      input of shape {@code (outer, m, inner)}, row-major; may be longer (not modified)
     * @param dst      output of shape {@code (outer, n, inner)}; may be longer; must not be {@code src} (modified)
     * @param outer    product of the axes before
     * @param inner    product of the axes after
     * @param rowScale a factor per row, or null for none (not modified)
     */
    public void applyInto(double[] src, double[] dst, int outer, int inner, double[] rowScale) {
        requireCapacity("src", src.length, (long) outer * cols * inner);
        requireCapacity("dst", dst.length, (long) outer * rows * inner);
        double[] w = tapWeights(rowScale);
        forRanges(outer, inner, (long) outer * rows * inner * TAPS, (o0, o1, s0, s1) -> {
            for (int o = o0; o < o1; o++) {
                int srcBase = o * cols * inner;
                for (int i = 0; i < rows; i++) {
                    int t = i * TAPS;
                    double w0 = w[t];
                    double w1 = w[t + 1];
                    double w2 = w[t + 2];
                    double w3 = w[t + 3];
                    int f0 = srcBase + index[t] * inner;
                    int f1 = srcBase + index[t + 1] * inner;
                    int f2 = srcBase + index[t + 2] * inner;
                    int f3 = srcBase + index[t + 3] * inner;
                    int d = (o * rows + i) * inner;
                    for (int s = s0; s < s1; s++) {
                        dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s] + w2 * src[f2 + s] + w3 * src[f3 + s];
                    }
                }
            }
        });
    }

    /**
     * {@link #applyInto(double[], double[], int, int, double[])} in single precision: float inputs,
     * float products and sums (the tap weights {@code A[i, k] rowScale[i]} are formed in double
     * and rounded once), no conversion of the tensor to double.
     *
     * @param src      input of shape {@code (outer, m, inner)}, row-major; may be longer (not modified)
     * @param dst      output of shape {@code (outer, n, inner)}; may be longer; must not be {@code src} (modified)
     * @param outer    product of the axes before
     * @param inner    product of the axes after
     * @param rowScale a factor per row, or null for none (not modified)
     */
    public void applyInto(float[] src, float[] dst, int outer, int inner, double[] rowScale) {
        requireCapacity("src", src.length, (long) outer * cols * inner);
        requireCapacity("dst", dst.length, (long) outer * rows * inner);
        float[] w = toFloats(tapWeights(rowScale));
        forRanges(outer, inner, (long) outer * rows * inner * TAPS, (o0, o1, s0, s1) -> {
            for (int o = o0; o < o1; o++) {
                int srcBase = o * cols * inner;
                for (int i = 0; i < rows; i++) {
                    int t = i * TAPS;
                    float w0 = w[t];
                    float w1 = w[t + 1];
                    float w2 = w[t + 2];
                    float w3 = w[t + 3];
                    int f0 = srcBase + index[t] * inner;
                    int f1 = srcBase + index[t + 1] * inner;
                    int f2 = srcBase + index[t + 2] * inner;
                    int f3 = srcBase + index[t + 3] * inner;
                    int d = (o * rows + i) * inner;
                    for (int s = s0; s < s1; s++) {
                        dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s] + w2 * src[f2 + s] + w3 * src[f3 + s];
                    }
                }
            }
        });
    }

    /**
     * {@link #applyTransposed} without allocation, in double precision: {@code dst[o, k, s] =
     * sum_i A[i, k] rowScale[i] src[o, i, s]}, overwriting the first {@code outer * m * inner}
     * elements of {@code dst} (knots that no row reaches get 0). Each output gathers its taps in
     * row order, so the result equals {@link #applyTransposed}'s.
     *
     * @param src      input of shape {@code (outer, n, inner)}, row-major; may be longer (not modified)
     * @param dst      output of shape {@code (outer, m, inner)}; may be longer; must not be {@code src} (modified)
     * @param outer    product of the axes before
     * @param inner    product of the axes after
     * @param rowScale a factor per row, or null for none (not modified)
     */
    public void applyTransposedInto(double[] src, double[] dst, int outer, int inner, double[] rowScale) {
        requireCapacity("src", src.length, (long) outer * rows * inner);
        requireCapacity("dst", dst.length, (long) outer * cols * inner);
        double[] w = tapWeights(rowScale);
        forRanges(outer, inner, (long) outer * rows * inner * TAPS, (o0, o1, s0, s1) -> {
            for (int o = o0; o < o1; o++) {
                int srcBase = o * rows * inner;
                for (int j = 0; j < cols; j++) {
                    int d = (o * cols + j) * inner;
                    int e0 = colStart[j];
                    int e1 = colStart[j + 1];
                    if (e0 == e1) {
                        java.util.Arrays.fill(dst, d + s0, d + s1, 0.0);
                        continue;
                    }
                    // The first four taps in one pass over the row (left to right: the same sum as one
                    // tap at a time), any further taps one by one.
                    int count = Math.min(TAPS, e1 - e0);
                    int t0 = byColumn[e0];
                    int t1 = byColumn[e0 + Math.min(1, count - 1)];
                    int t2 = byColumn[e0 + Math.min(2, count - 1)];
                    int t3 = byColumn[e0 + Math.min(3, count - 1)];
                    double w0 = w[t0];
                    double w1 = w[t1];
                    double w2 = w[t2];
                    double w3 = w[t3];
                    int f0 = srcBase + (t0 / TAPS) * inner;
                    int f1 = srcBase + (t1 / TAPS) * inner;
                    int f2 = srcBase + (t2 / TAPS) * inner;
                    int f3 = srcBase + (t3 / TAPS) * inner;
                    switch (count) {
                        case 1 -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s];
                            }
                        }
                        case 2 -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s];
                            }
                        }
                        case 3 -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s] + w2 * src[f2 + s];
                            }
                        }
                        default -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s] + w2 * src[f2 + s] + w3 * src[f3 + s];
                            }
                        }
                    }
                    for (int e = e0 + TAPS; e < e1; e++) {
                        int t = byColumn[e];
                        double we = w[t];
                        int f = srcBase + (t / TAPS) * inner;
                        for (int s = s0; s < s1; s++) {
                            dst[d + s] += we * src[f + s];
                        }
                    }
                }
            }
        });
    }

    /**
     * {@link #applyTransposedInto(double[], double[], int, int, double[])} in single precision.
     *
     * @param src      input of shape {@code (outer, n, inner)}, row-major; may be longer (not modified)
     * @param dst      output of shape {@code (outer, m, inner)}; may be longer; must not be {@code src} (modified)
     * @param outer    product of the axes before
     * @param inner    product of the axes after
     * @param rowScale a factor per row, or null for none (not modified)
     */
    public void applyTransposedInto(float[] src, float[] dst, int outer, int inner, double[] rowScale) {
        requireCapacity("src", src.length, (long) outer * rows * inner);
        requireCapacity("dst", dst.length, (long) outer * cols * inner);
        float[] w = toFloats(tapWeights(rowScale));
        forRanges(outer, inner, (long) outer * rows * inner * TAPS, (o0, o1, s0, s1) -> {
            for (int o = o0; o < o1; o++) {
                int srcBase = o * rows * inner;
                for (int j = 0; j < cols; j++) {
                    int d = (o * cols + j) * inner;
                    int e0 = colStart[j];
                    int e1 = colStart[j + 1];
                    if (e0 == e1) {
                        java.util.Arrays.fill(dst, d + s0, d + s1, 0f);
                        continue;
                    }
                    // The first four taps in one pass over the row (left to right: the same sum as one
                    // tap at a time), any further taps one by one.
                    int count = Math.min(TAPS, e1 - e0);
                    int t0 = byColumn[e0];
                    int t1 = byColumn[e0 + Math.min(1, count - 1)];
                    int t2 = byColumn[e0 + Math.min(2, count - 1)];
                    int t3 = byColumn[e0 + Math.min(3, count - 1)];
                    float w0 = w[t0];
                    float w1 = w[t1];
                    float w2 = w[t2];
                    float w3 = w[t3];
                    int f0 = srcBase + (t0 / TAPS) * inner;
                    int f1 = srcBase + (t1 / TAPS) * inner;
                    int f2 = srcBase + (t2 / TAPS) * inner;
                    int f3 = srcBase + (t3 / TAPS) * inner;
                    switch (count) {
                        case 1 -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s];
                            }
                        }
                        case 2 -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s];
                            }
                        }
                        case 3 -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s] + w2 * src[f2 + s];
                            }
                        }
                        default -> {
                            for (int s = s0; s < s1; s++) {
                                dst[d + s] = w0 * src[f0 + s] + w1 * src[f1 + s] + w2 * src[f2 + s] + w3 * src[f3 + s];
                            }
                        }
                    }
                    for (int e = e0 + TAPS; e < e1; e++) {
                        int t = byColumn[e];
                        float we = w[t];
                        int f = srcBase + (t / TAPS) * inner;
                        for (int s = s0; s < s1; s++) {
                            dst[d + s] += we * src[f + s];
                        }
                    }
                }
            }
        });
    }

    /** The coefficient of every tap times its row's factor. */
    private double[] tapWeights(double[] rowScale) {
        if (rowScale == null) {
            return coef;
        }
        Checks.require(rowScale.length == rows, "InterpolationMatrix", "rowScale has %d values, expected %d.",
                rowScale.length, rows);
        double[] w = new double[coef.length];
        for (int t = 0; t < w.length; t++) {
            w[t] = coef[t] * rowScale[t / TAPS];
        }
        return w;
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    private static void requireCapacity(String what, int length, long expected) {
        Checks.require(length >= expected, "InterpolationMatrix", "%s has %d values, expected at least %d.", what,
                length, expected);
    }

    private static void requireLength(String what, double[] values, long expected) {
        Checks.require(values.length == expected, "InterpolationMatrix",
                "%s has %d values, expected %d.", what, values.length, expected);
    }

    /** A block of work: outer indices [o0, o1) and inner indices [s0, s1). */
    @FunctionalInterface
    private interface Block {
        void run(int o0, int o1, int s0, int s1);
    }

    /**
     * Runs {@code block} over disjoint pieces of {@code (outer, inner)}, in parallel when the
     * work is large. Pieces never share an (outer, inner) pair, so scatters are race-free.
     */
    private static void forRanges(int outer, int inner, long work, Block block) {
        int threads = Runtime.getRuntime().availableProcessors();
        if (work < PARALLEL_WORK || threads < 2) {
            block.run(0, outer, 0, inner);
            return;
        }
        int pieces = threads * 4;
        if (outer >= pieces) {
            IntStream.range(0, pieces).parallel().forEach(p -> {
                int o0 = (int) ((long) outer * p / pieces);
                int o1 = (int) ((long) outer * (p + 1) / pieces);
                block.run(o0, o1, 0, inner);
            });
        } else if (inner >= pieces) {
            IntStream.range(0, pieces).parallel().forEach(p -> {
                int s0 = (int) ((long) inner * p / pieces);
                int s1 = (int) ((long) inner * (p + 1) / pieces);
                block.run(0, outer, s0, s1);
            });
        } else {
            block.run(0, outer, 0, inner);
        }
    }
}
