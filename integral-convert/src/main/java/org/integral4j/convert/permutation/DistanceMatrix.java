package org.integral4j.convert.permutation;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.integral4j.util.Checks;

/**
 * A symmetric matrix of non-negative, finite distances between {@code n} channels (the cities of
 * the channel-ordering TSP). Immutable; thread-safe.
 *
 * <p>{@link #fromSlices(List)} builds TorchIntegral's channel distance (tsp_solver
 * {@code get_distance_matrix}):
 * <pre>
 *   D[i][j] = Σ_t mean_k |row_t(i)[k] - row_t(j)[k]|,   k in [0, m_t)
 * </pre>
 * summed over the tensors {@code t} of a group, where {@code row_t(c)} is channel {@code c}'s row of
 * {@code m_t} values (see {@link ChannelSlices}; for a whole axis with one index per channel it is
 * {@code t.transpose(0, axis).reshape(C, -1)[c]}). The length of an open path through all channels
 * is then {@code (C - 1)} times the {@link TotalVariation total variation} of the group reordered
 * along that path.
 */
public final class DistanceMatrix {

    /** Features read and processed per pass (a chunk of C floats each, kept in L2 cache). */
    private static final int FEATURE_CHUNK = 128;
    /** Rows of D per task. */
    private static final int ROW_BLOCK = 32;
    /** Below this many |a - b| evaluations per chunk the kernel runs on the calling thread only. */
    private static final long PARALLEL_THRESHOLD = 2_000_000L;
    /** Largest n whose n·n matrix fits a Java array. */
    static final int MAX_SIZE = 46_340;
    /** Relative tolerance of the symmetry check in {@link #of(double[][])}. */
    private static final double SYMMETRY_TOLERANCE = 1e-9;

    private final int n;
    /** Row-major n·n, exactly symmetric, zero diagonal. */
    private final double[] d;

    private DistanceMatrix(int n, double[] d) {
        this.n = n;
        this.d = d;
    }

    /**
     * Wraps a given matrix (copied). The diagonal is ignored (treated as 0).
     *
     * @param matrix square {@code (n, n)}, {@code n >= 1}, finite, non-negative and symmetric up to a
     *               relative {@code 1e-9} (the stored matrix is the average of {@code D} and
     *               {@code Dᵀ}); not modified
     * @return the distance matrix
     * @throws IllegalArgumentException naming the offending row/entry when the matrix is null, empty,
     *                                  not square, not finite, negative or not symmetric
     */
    public static DistanceMatrix of(double[][] matrix) {
        String w = "DistanceMatrix.of";
        Checks.requireNonNull(w, "matrix", matrix);
        int n = matrix.length;
        Checks.requireAtLeast(w, "number of rows", n, 1, "Fix: pass an (n, n) matrix with n >= 1.");
        Checks.require(n <= MAX_SIZE, w, "matrix has %d rows, expected at most %d.", n, MAX_SIZE);
        for (int i = 0; i < n; i++) {
            Checks.requireNonNull(w, "row " + i, matrix[i]);
            Checks.require(matrix[i].length == n, w,
                    "matrix must be square: row %d has length %d, expected %d (the number of rows).",
                    i, matrix[i].length, n);
        }
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = matrix[i][j];
                Checks.require(Double.isFinite(v) && v >= 0, w,
                        "entry [%d][%d] = %s, expected a finite distance >= 0.", i, j, v);
                if (i == j) {
                    continue;
                }
                double u = matrix[j][i];
                Checks.require(Math.abs(v - u) <= SYMMETRY_TOLERANCE * Math.max(Math.abs(v), Math.abs(u)), w,
                        "matrix must be symmetric: [%d][%d] = %s but [%d][%d] = %s.", i, j, v, j, i, u);
                d[i * n + j] = 0.5 * (v + u);
            }
        }
        return new DistanceMatrix(n, d);
    }

    /**
     * Builds the mean-absolute-difference distance of a channel group (formula in the class
     * comment). Each tensor is read once, chunk by chunk, from its host buffer into reused Java
     * arrays; the O(C²·Σm_t) kernel runs on the common fork-join pool when large. The result does not
     * depend on the number of threads.
     *
     * @param group the slices of one channel group, all with the same number of channels C (not
     *              modified)
     * @return the {@code (C, C)} distance matrix
     * @throws IllegalArgumentException when the group is empty, contains null or the channel counts
     *                                  differ
     */
    public static DistanceMatrix fromSlices(List<ChannelSlices> group) {
        int n = requireGroup(group, "DistanceMatrix.fromSlices");
        double[] d = new double[n * n];
        int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
        int tasks = (blocks + 1) / 2;
        float[][] chunk = new float[FEATURE_CHUNK][n];
        float[][] acc = new float[tasks][n];
        boolean parallel = (long) n * (n - 1) / 2 * FEATURE_CHUNK >= PARALLEL_THRESHOLD;
        for (ChannelSlices s : group) {
            ChannelRowReader reader = new ChannelRowReader(s);
            int m = reader.features();
            double scale = 1.0 / m;
            for (int k0 = 0; k0 < m; k0 += FEATURE_CHUNK) {
                int read = Math.min(FEATURE_CHUNK, m - k0);
                reader.read(k0, k0 + read, chunk);
                // The kernel takes features 4 at a time; pad with all-zero features (|0 - 0| = 0).
                int rows = (read + 3) & ~3;
                for (int k = read; k < rows; k++) {
                    Arrays.fill(chunk[k], 0f);
                }
                IntStream taskIds = IntStream.range(0, tasks);
                if (parallel) {
                    taskIds = taskIds.parallel();
                }
                taskIds.forEach(task -> {
                    // Pair a short block with a long one so tasks of the triangular kernel weigh the same.
                    accumulateLowerTriangle(chunk, rows, scale, d, n, task, acc[task]);
                    int mirror = blocks - 1 - task;
                    if (mirror != task) {
                        accumulateLowerTriangle(chunk, rows, scale, d, n, mirror, acc[task]);
                    }
                });
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[j * n + i] = d[i * n + j];
            }
        }
        return new DistanceMatrix(n, d);
    }

    /**
     * For rows {@code i} of row block {@code block} and {@code j < i}:
     * {@code d[i·n + j] += scale · Σ_k |f[k][j] - f[k][i]|} over the chunk's {@code rows} features
     * ({@code rows} a multiple of 4).
     * The chunk sum runs in float32 and is added to the double result.
     */
    private static void accumulateLowerTriangle(float[][] f, int rows, double scale, double[] d, int n,
            int block, float[] acc) {
        int from = block * ROW_BLOCK;
        int to = Math.min(n, from + ROW_BLOCK);
        for (int i = Math.max(from, 1); i < to; i++) {
            zero(acc, i);
            for (int k = 0; k < rows; k += 4) {
                float[] f0 = f[k];
                float[] f1 = f[k + 1];
                float[] f2 = f[k + 2];
                float[] f3 = f[k + 3];
                addAbsDiff4(acc, i, f0, f0[i], f1, f1[i], f2, f2[i], f3, f3[i]);
            }
            addScaled(d, i * n, acc, scale, i);
        }
    }

    /*
     * Every innermost loop lives in its own small method and the feature loop has no remainder loop
     * (chunks are padded to a multiple of 4). With the loops written inline, or with a remainder
     * loop calling a second |a - b| loop, HotSpot C2 (JDK 17) left the |a - b| loop scalar in some or
     * all JVM runs (0.35-0.4 instead of 0.08-0.1 ns per |a - b|, measured here).
     */

    /** {@code acc[j] += |a[j] - va| + |b[j] - vb| + |c[j] - vc| + |e[j] - ve|} for j in [0, len). */
    private static void addAbsDiff4(float[] acc, int len, float[] a, float va, float[] b, float vb,
            float[] c, float vc, float[] e, float ve) {
        for (int j = 0; j < len; j++) {
            acc[j] += (Math.abs(a[j] - va) + Math.abs(b[j] - vb)) + (Math.abs(c[j] - vc) + Math.abs(e[j] - ve));
        }
    }

    /** {@code acc[j] = 0} for j in [0, len). */
    private static void zero(float[] acc, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] = 0f;
        }
    }

    /** {@code d[offset + j] += scale · acc[j]} for j in [0, len). */
    private static void addScaled(double[] d, int offset, float[] acc, double scale, int len) {
        for (int j = 0; j < len; j++) {
            d[offset + j] += scale * acc[j];
        }
    }

    /**
     * Checks a channel group and returns its number of channels.
     *
     * @throws IllegalArgumentException when the group is null or empty, holds null, or channel counts
     *                                  differ (naming both slices and counts)
     */
    static int requireGroup(List<ChannelSlices> group, String where) {
        Checks.requireNonNull(where, "group", group);
        Checks.require(!group.isEmpty(), where,
                "the group has no slices, expected at least one. Fix: add the ChannelSlices of every "
                        + "tensor whose channels are reordered together.");
        ChannelSlices first = Checks.requireNonNull(where, "group[0]", group.get(0));
        int n = first.channels();
        Checks.require(n <= MAX_SIZE, where, "group[0] (%s) has %d channels, expected at most %d.",
                first.name(), n, MAX_SIZE);
        for (int g = 1; g < group.size(); g++) {
            ChannelSlices s = Checks.requireNonNull(where, "group[" + g + "]", group.get(g));
            Checks.require(s.channels() == n, where,
                    "all slices of a group must have the same number of channels: group[0] (%s) has %d, "
                            + "group[%d] (%s) has %d. Fix: check the axes, blocks and blockLength of the slices.",
                    first.name(), n, g, s.name(), s.channels());
        }
        return n;
    }

    /** @return the number of channels (cities) n */
    public int size() {
        return n;
    }

    /**
     * @param i a channel in {@code [0, n)}
     * @param j a channel in {@code [0, n)}
     * @return {@code D[i][j]} (0 on the diagonal)
     */
    public double get(int i, int j) {
        Checks.require(i >= 0 && i < n && j >= 0 && j < n, "DistanceMatrix.get",
                "indices (%d, %d) out of range, expected both in [0, %d).", i, j, n);
        return d[i * n + j];
    }

    /**
     * Length of the open path {@code route[0] → route[1] → … → route[len-1]} (no return edge):
     * {@code Σ_k D[route[k]][route[k+1]]}.
     *
     * @param route channels in {@code [0, n)} (not modified; need not visit every channel)
     * @return the path length
     * @throws IllegalArgumentException when an entry is out of range
     */
    public double pathLength(int[] route) {
        Checks.requireNonNull("DistanceMatrix.pathLength", "route", route);
        for (int k = 0; k < route.length; k++) {
            Checks.require(route[k] >= 0 && route[k] < n, "DistanceMatrix.pathLength",
                    "route[%d] = %d out of range, expected a channel in [0, %d).", k, route[k], n);
        }
        return pathLength(d, n, route);
    }

    static double pathLength(double[] d, int n, int[] route) {
        double s = 0;
        for (int k = 0; k + 1 < route.length; k++) {
            s += d[route[k] * n + route[k + 1]];
        }
        return s;
    }

    /** @return a copy as {@code double[n][n]} */
    public double[][] toArray() {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(d, i * n, (i + 1) * n);
        }
        return out;
    }

    /** The backing row-major array; package-private, must not be modified. */
    double[] raw() {
        return d;
    }

    @Override
    public String toString() {
        return "DistanceMatrix{n=" + n + "}";
    }
}
