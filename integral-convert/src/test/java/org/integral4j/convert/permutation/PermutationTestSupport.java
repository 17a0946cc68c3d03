package org.integral4j.convert.permutation;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Test helpers: seeded tensors, naive (slow, obviously correct) reference computations, asserts. */
final class PermutationTestSupport {

    private PermutationTestSupport() {
    }

    /** A float32 'c' tensor of uniform values in [-1, 1) from a seeded {@link Random}. */
    static INDArray randomTensor(long seed, long... shape) {
        Random random = new Random(seed);
        long len = 1;
        for (long s : shape) {
            len *= s;
        }
        float[] data = new float[(int) len];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() * 2 - 1;
        }
        return Nd4j.create(data, shape, 'c');
    }

    /** The sub-tensor at axis index {@code x} (a view with the axis removed). */
    static INDArray axisSlice(INDArray t, int axis, long x) {
        INDArrayIndex[] idx = new INDArrayIndex[t.rank()];
        for (int d = 0; d < idx.length; d++) {
            idx[d] = d == axis ? NDArrayIndex.point(x) : NDArrayIndex.all();
        }
        return t.get(idx);
    }

    /** Naive D[i][j] = Σ_t (1/m_t) Σ_p Σ |slice(idx(i,p)) - slice(idx(j,p))|, in double. */
    static double[][] naiveDistances(List<ChannelSlices> group) {
        int n = group.get(0).channels();
        double[][] d = new double[n][n];
        for (ChannelSlices s : group) {
            INDArray t = s.tensor().castTo(DataType.DOUBLE);
            double m = s.rowLength();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    double sum = 0;
                    for (int p = 0; p < s.blockLength(); p++) {
                        INDArray a = axisSlice(t, s.axis(), s.axisIndex(i, p));
                        INDArray b = axisSlice(t, s.axis(), s.axisIndex(j, p));
                        sum += Transforms.abs(a.sub(b)).sumNumber().doubleValue();
                    }
                    d[i][j] += sum / m;
                    d[j][i] += sum / m;
                }
            }
        }
        return d;
    }

    /** Naive gather: out slice x along the axis = input slice source[x]. */
    static INDArray naiveGather(INDArray t, int axis, int[] source) {
        INDArray out = Nd4j.createUninitialized(t.dataType(), t.shape(), 'c');
        for (int x = 0; x < source.length; x++) {
            axisSlice(out, axis, x).assign(axisSlice(t, axis, source[x]));
        }
        return out;
    }

    /** Asserts element-wise |e - a| <= abs + rel·|e|, printing the shape and the worst index. */
    static void assertClose(double[] expected, double[] actual, double rel, double abs, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double excess = Math.abs(expected[i] - actual[i]) - (abs + rel * Math.abs(expected[i]));
            if (!(excess <= worstExcess)) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + " (length " + expected.length + "): worst flat index " + worst + ": expected "
                    + expected[worst] + ", actual " + actual[worst] + " (rel " + rel + ", abs " + abs + ")");
        }
    }

    static void assertMatrixClose(double[][] expected, double[][] actual, double rel, double abs, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " rows, expected " + expected.length);
        }
        int n = expected.length;
        double[] e = new double[n * n];
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(expected[i], 0, e, i * n, n);
            if (actual[i].length != n) {
                fail(what + ": row " + i + " has length " + actual[i].length + ", expected " + n);
            }
            System.arraycopy(actual[i], 0, a, i * n, n);
        }
        assertClose(e, a, rel, abs, what + " (" + n + "x" + n + ", flat index = row*" + n + "+col)");
    }

    static void assertTensorEquals(INDArray expected, INDArray actual, String what) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        assertClose(expected.castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                actual.castTo(DataType.DOUBLE).dup('c').data().asDouble(), 0, 0,
                what + " shape " + Arrays.toString(expected.shape()));
    }

    /** A random symmetric matrix with zero diagonal and entries in [0, 1). */
    static double[][] randomSymmetric(long seed, int n) {
        Random random = new Random(seed);
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[i][j] = random.nextDouble();
                d[j][i] = d[i][j];
            }
        }
        return d;
    }

    /** Points on a noisy 1-D curve in 3-D (a typical "smooth channel" instance), L1 distances. */
    static double[][] randomEuclideanLike(long seed, int n) {
        Random random = new Random(seed);
        double[][] pts = new double[n][3];
        for (double[] p : pts) {
            for (int k = 0; k < 3; k++) {
                p[k] = random.nextDouble();
            }
        }
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += Math.abs(pts[i][k] - pts[j][k]);
                }
                d[i][j] = s;
            }
        }
        return d;
    }

    /** Exhaustive shortest open path length (n <= 9). */
    static double bruteForceShortestPath(double[][] d) {
        int n = d.length;
        int[] perm = ChannelPermutation.identity(n);
        double[] best = {Double.POSITIVE_INFINITY};
        permute(d, perm, 0, best);
        return best[0];
    }

    private static void permute(double[][] d, int[] perm, int k, double[] best) {
        int n = perm.length;
        if (k == n) {
            double s = 0;
            for (int i = 0; i + 1 < n; i++) {
                s += d[perm[i]][perm[i + 1]];
            }
            best[0] = Math.min(best[0], s);
            return;
        }
        for (int i = k; i < n; i++) {
            swap(perm, k, i);
            permute(d, perm, k + 1, best);
            swap(perm, k, i);
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    static boolean isPermutation(int[] order, int n) {
        if (order.length != n) {
            return false;
        }
        boolean[] seen = new boolean[n];
        for (int c : order) {
            if (c < 0 || c >= n || seen[c]) {
                return false;
            }
            seen[c] = true;
        }
        return true;
    }
}
