package org.integral4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.integral4j.util.Arrays2;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tensor comparisons that report the shape, the worst index and both values on failure.
 */
public final class TensorAssert {

    private TensorAssert() {
    }

    /**
     * Asserts {@code |actual - expected| <= absTol + relTol * |expected|} everywhere.
     *
     * @param what     a name for the message
     * @param expected expected values
     * @param actual   actual values
     * @param absTol   absolute tolerance
     * @param relTol   relative tolerance
     */
    public static void assertClose(String what, INDArray expected, INDArray actual, double absTol, double relTol) {
        assertArrayEquals(expected.shape(), actual.shape(),
                what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        assertClose(what, expected.shape(), Arrays2.toDoubles(expected), Arrays2.toDoubles(actual), absTol, relTol);
    }

    /**
     * Asserts element-wise closeness of flat arrays that have the given shape.
     *
     * @param what     a name for the message
     * @param shape    the shape (for the message)
     * @param expected expected values, row-major
     * @param actual   actual values, row-major
     * @param absTol   absolute tolerance
     * @param relTol   relative tolerance
     */
    public static void assertClose(String what, long[] shape, double[] expected, double[] actual, double absTol,
                                   double relTol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double allowed = absTol + relTol * Math.abs(expected[i]);
            if (!(err <= allowed) && (worst < 0 || err - allowed > worstExcess || Double.isNaN(err))) {
                worst = i;
                worstExcess = err - allowed;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: shape %s, worst index %s: expected %.9g, got %.9g (|diff| %.3g > %.3g + %.3g*|expected|)",
                    what, Arrays.toString(shape), Arrays.toString(unravel(worst, shape)), expected[worst],
                    actual[worst], Math.abs(actual[worst] - expected[worst]), absTol, relTol));
        }
    }

    /**
     * Asserts closeness of plain vectors.
     *
     * @param what     a name for the message
     * @param expected expected values
     * @param actual   actual values
     * @param absTol   absolute tolerance
     */
    public static void assertClose(String what, double[] expected, double[] actual, double absTol) {
        assertClose(what, new long[] {expected.length}, expected, actual, absTol, 0.0);
    }

    /**
     * Maximum absolute difference.
     *
     * @param a first
     * @param b second
     * @return max |a - b|
     */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        double[] x = Arrays2.toDoubles(a);
        double[] y = Arrays2.toDoubles(b);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    private static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
