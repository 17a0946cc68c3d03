package org.integral4j.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.integral4j.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class CubicConvolutionTest {

    @Test
    void coefficientsMatchTheKernelAndFormAPartitionOfUnity() {
        double[] c = new double[4];
        for (double t = 0; t < 1; t += 0.0625) {
            CubicConvolution.coefficients(t, c);
            assertEquals(CubicConvolution.kernel(t + 1), c[0], 1e-15);
            assertEquals(CubicConvolution.kernel(t), c[1], 1e-15);
            assertEquals(CubicConvolution.kernel(1 - t), c[2], 1e-15);
            assertEquals(CubicConvolution.kernel(2 - t), c[3], 1e-15);
            assertEquals(1.0, c[0] + c[1] + c[2] + c[3], 1e-15, "partition of unity at t=" + t);
            // Symmetry: the taps at 1 - t are the taps at t reversed.
            double[] mirrored = new double[4];
            CubicConvolution.coefficients(1 - t, mirrored);
            assertEquals(c[0], mirrored[3], 1e-15);
            assertEquals(c[1], mirrored[2], 1e-15);
        }
    }

    @Test
    void knotsAreInterpolatedExactly() {
        double[] c = new double[4];
        CubicConvolution.coefficients(0.0, c);
        assertEquals(0.0, c[0]);
        assertEquals(1.0, c[1]);
        assertEquals(0.0, c[2]);
        assertEquals(0.0, c[3]);
        assertEquals(0.0, CubicConvolution.kernel(2.5));
        assertEquals(-0.75, CubicConvolution.A);
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        double[] d = new double[4];
        double[] plus = new double[4];
        double[] minus = new double[4];
        for (double t = 0.05; t < 0.97; t += 0.07) {
            CubicConvolution.derivatives(t, d);
            CubicConvolution.coefficients(t + GradientCheck.EPS, plus);
            CubicConvolution.coefficients(t - GradientCheck.EPS, minus);
            for (int k = 0; k < 4; k++) {
                assertEquals((plus[k] - minus[k]) / (2 * GradientCheck.EPS), d[k], 1e-8, "tap " + k + " t=" + t);
            }
        }
    }
}
