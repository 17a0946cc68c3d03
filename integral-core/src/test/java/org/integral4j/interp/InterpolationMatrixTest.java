package org.integral4j.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.integral4j.grid.Grid1D;
import org.integral4j.testing.GradientCheck;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;

class InterpolationMatrixTest {

    @Test
    void fullSizeUniformGridIsTheIdentity() {
        for (int n : new int[] {2, 3, 7, 64, 513}) {
            assertTrue(InterpolationMatrix.build(Grid1D.uniform(n).points(), n).isIdentity(), "n=" + n);
        }
        assertFalse(InterpolationMatrix.build(Grid1D.uniform(5).points(), 8).isIdentity());
        assertFalse(InterpolationMatrix.build(Grid1D.legendre(8).points(), 8).isIdentity());
    }

    @Test
    void applyEqualsDenseProductAndTransposeIsItsAdjoint() {
        Random rng = new Random(5);
        double[] points = {-1, -0.83, -0.2, 0.01, 0.5, 0.99, 1};
        int m = 6;
        int outer = 3;
        int inner = 4;
        InterpolationMatrix a = InterpolationMatrix.build(points, m);
        double[][] dense = a.toArray(false);
        double[] x = random(rng, outer * m * inner);
        double[] scale = random(rng, points.length);
        double[] y = a.apply(x, outer, inner, scale, false);
        double[] expected = new double[outer * points.length * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < points.length; i++) {
                for (int s = 0; s < inner; s++) {
                    double v = 0;
                    for (int k = 0; k < m; k++) {
                        v += dense[i][k] * x[(o * m + k) * inner + s];
                    }
                    expected[(o * points.length + i) * inner + s] = scale[i] * v;
                }
            }
        }
        TensorAssert.assertClose("A x", expected, y, 1e-14);
        double[] z = random(rng, y.length);
        double[] back = a.applyTransposed(z, outer, inner, scale);
        assertEquals(dot(y, z), dot(x, back), 1e-12, "<A x, z> = <x, A^T z>");
    }

    @Test
    void largeTensorsGiveTheSameResultInParallel() {
        Random rng = new Random(11);
        double[] points = Grid1D.uniform(100).points();
        InterpolationMatrix a = InterpolationMatrix.build(points, 160);
        double[] x = random(rng, 3 * 160 * 500);
        double[] big = a.apply(x, 3, 500, null, false);
        // Column by column (serial path: tiny work) must agree.
        for (int s = 0; s < 500; s += 97) {
            double[] column = new double[3 * 160];
            for (int o = 0; o < 3; o++) {
                for (int k = 0; k < 160; k++) {
                    column[o * 160 + k] = x[(o * 160 + k) * 500 + s];
                }
            }
            double[] small = a.apply(column, 3, 1, null, false);
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 100; i++) {
                    assertEquals(small[o * 100 + i], big[(o * 100 + i) * 500 + s], 1e-13);
                }
            }
        }
    }

    @Test
    void inPlaceKernelsEqualTheAllocatingOnesInDoubleAndAgreeInFloat() {
        Random rng = new Random(13);
        // small (serial) and large (parallel over outer, then over inner) tensors; down- and upsampling
        int[][] cases = {{3, 6, 4, 7}, {40, 30, 9, 17}, {1, 128, 1600, 96}, {200, 64, 1, 40}, {2, 5, 3, 9}};
        for (int[] c : cases) {
            int outer = c[0];
            int m = c[1];
            int inner = c[2];
            int n = c[3];
            double[] points = Grid1D.uniform(n).points();
            points[n / 2] += 0.3 / n;
            InterpolationMatrix a = InterpolationMatrix.build(points, m);
            double[] x = random(rng, outer * m * inner);
            double[] scale = random(rng, n);
            String what = "outer " + outer + ", m " + m + ", inner " + inner + ", n " + n;

            double[] expected = a.apply(x, outer, inner, scale, false);
            double[] into = new double[expected.length + 5];
            java.util.Arrays.fill(into, 7.0);
            a.applyInto(x, into, outer, inner, scale);
            assertArrayEquals(expected, java.util.Arrays.copyOf(into, expected.length), what + ": A x");
            assertEquals(7.0, into[expected.length], what + ": nothing written past the end");

            double[] z = random(rng, expected.length);
            double[] back = a.applyTransposed(z, outer, inner, scale);
            double[] backInto = new double[back.length];
            java.util.Arrays.fill(backInto, Double.NaN);
            a.applyTransposedInto(z, backInto, outer, inner, scale);
            assertArrayEquals(back, backInto, what + ": A^T z (untouched knots are overwritten with 0)");

            float[] xf = toFloats(x);
            float[] yf = new float[expected.length];
            a.applyInto(xf, yf, outer, inner, scale);
            float[] bf = new float[back.length];
            a.applyTransposedInto(toFloats(z), bf, outer, inner, scale);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], yf[i], 1e-5 * (1 + Math.abs(expected[i])), what + ": float A x at " + i);
            }
            for (int i = 0; i < back.length; i++) {
                assertEquals(back[i], bf[i], 1e-5 * (1 + Math.abs(back[i])), what + ": float A^T z at " + i);
            }
        }
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Test
    void derivativeRowsMatchFiniteDifferencesOfThePoints() {
        double[] points = {-0.95, -0.41, 0.13, 0.77, 0.9};
        int m = 7;
        double[][] slope = InterpolationMatrix.build(points, m).toArray(true);
        for (int i = 0; i < points.length; i++) {
            for (int k = 0; k < m; k++) {
                final int ii = i;
                final int kk = k;
                double[] p = points.clone();
                double numeric = GradientCheck.centralDifference(v -> p[ii] = v, () -> p[ii],
                        () -> InterpolationMatrix.build(p, m).toArray(false)[ii][kk]);
                assertEquals(numeric, slope[i][k], 1e-7, "row " + i + " col " + k);
            }
        }
    }

    @Test
    void borderPaddingClampsTapsNotTheCoordinate() {
        // One knot: every tap clamps to it and the value is copied (SEMANTICS 4.5).
        double[][] single = InterpolationMatrix.build(new double[] {0.3}, 1).toArray(false);
        assertEquals(1.0, single[0][0], 1e-15);
        // Just outside [-1, 1] the value is not the edge value, because c3 < 0.
        double[][] outside = InterpolationMatrix.build(new double[] {-1.1}, 5).toArray(false);
        assertTrue(Math.abs(outside[0][0] - 1.0) > 1e-3);
        double rowSum = 0;
        for (double v : outside[0]) {
            rowSum += v;
        }
        assertEquals(1.0, rowSum, 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> InterpolationMatrix.build(new double[] {0}, 0));
        assertThrows(IllegalArgumentException.class, () -> InterpolationMatrix.build(new double[] {Double.NaN}, 3));
        InterpolationMatrix a = InterpolationMatrix.build(new double[] {0, 0.5}, 3);
        assertThrows(IllegalArgumentException.class, () -> a.apply(new double[5], 1, 1, null, false));
    }

    private static double[] random(Random rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
