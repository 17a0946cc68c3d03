package org.integral4j.interp;

/**
 * The cubic-convolution interpolation kernel (Keys 1981) with TorchIntegral's constant
 * {@code A = -0.75} (PyTorch's {@code grid_sample(mode="bicubic")}):
 * <pre>
 *   u(s) = (A + 2)|s|^3 - (A + 3)|s|^2 + 1           for |s| &lt;= 1
 *   u(s) = A|s|^3 - 5A|s|^2 + 8A|s| - 4A              for 1 &lt; |s| &lt; 2
 *   u(s) = 0                                          otherwise
 * </pre>
 * A value at fractional position {@code i0 + t} ({@code 0 <= t < 1}) is
 * {@code c0 f[i0-1] + c1 f[i0] + c2 f[i0+1] + c3 f[i0+2]} with
 * {@code c0 = u(t + 1), c1 = u(t), c2 = u(1 - t), c3 = u(2 - t)}, evaluated in PyTorch's
 * operation order (docs/ARCHITECTURE.md, "Reference conventions").
 */
public final class CubicConvolution {

    /** The kernel's free parameter, as in PyTorch's bicubic modes. */
    public static final double A = -0.75;

    private CubicConvolution() {
    }

    /**
     * The four tap coefficients at fractional offset {@code t}.
     *
     * @param t   offset from the left tap {@code i0}, in {@code [0, 1)}
     * @param out receives {@code c0..c3} (modified)
     */
    public static void coefficients(double t, double[] out) {
        out[0] = outer(t + 1.0);
        out[1] = inner(t);
        out[2] = inner(1.0 - t);
        out[3] = outer(2.0 - t);
    }

    /**
     * The derivatives {@code dc_k / dt} of the tap coefficients.
     *
     * @param t   offset from the left tap, in {@code [0, 1)}
     * @param out receives {@code dc0/dt..dc3/dt} (modified)
     */
    public static void derivatives(double t, double[] out) {
        out[0] = outerSlope(t + 1.0);
        out[1] = innerSlope(t);
        out[2] = -innerSlope(1.0 - t);
        out[3] = -outerSlope(2.0 - t);
    }

    /**
     * The kernel {@code u(s)}.
     *
     * @param s distance from the tap, in index units
     * @return the kernel value
     */
    public static double kernel(double s) {
        double x = Math.abs(s);
        if (x <= 1.0) {
            return inner(x);
        }
        if (x < 2.0) {
            return outer(x);
        }
        return 0.0;
    }

    private static double inner(double x) {
        return ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
    }

    private static double outer(double x) {
        return ((A * x - 5.0 * A) * x + 8.0 * A) * x - 4.0 * A;
    }

    private static double innerSlope(double x) {
        return (3.0 * (A + 2.0) * x - 2.0 * (A + 3.0)) * x;
    }

    private static double outerSlope(double x) {
        return (3.0 * A * x - 10.0 * A) * x + 8.0 * A;
    }
}
