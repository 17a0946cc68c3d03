package org.integral4j.grid;

/**
 * Gauss-Legendre nodes and weights by Newton's method on the three-term recurrence of the
 * Legendre polynomials (Abramowitz and Stegun 25.4.29; initial guesses from Tricomi's
 * approximation). Accurate to about 1e-15 for every order.
 */
public final class Legendre {

    private Legendre() {
    }

    /**
     * Nodes of order {@code n}.
     *
     * @param n order, at least 1
     * @return the roots of {@code P_n}, increasing
     */
    public static double[] nodes(int n) {
        return solve(n)[0];
    }

    /**
     * Weights of order {@code n}: {@code w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)}; they sum to 2.
     *
     * @param n order, at least 1
     * @return weights in the order of {@link #nodes(int)}
     */
    public static double[] weights(int n) {
        return solve(n)[1];
    }

    private static double[][] solve(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Legendre order must be at least 1, got " + n + ".");
        }
        double[] x = new double[n];
        double[] w = new double[n];
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double[] pd = evaluate(n, z);
                dp = pd[1];
                double dz = pd[0] / dp;
                z -= dz;
                if (Math.abs(dz) <= 1e-16 * Math.max(1.0, Math.abs(z))) {
                    break;
                }
            }
            dp = evaluate(n, z)[1];
            double wi = 2.0 / ((1.0 - z * z) * dp * dp);
            // i-th largest root is z; store increasing.
            x[n - 1 - i] = z;
            x[i] = -z;
            w[n - 1 - i] = wi;
            w[i] = wi;
        }
        if (n % 2 == 1) {
            x[n / 2] = 0.0;
        }
        return new double[][] {x, w};
    }

    /** Returns {P_n(z), P_n'(z)}. */
    private static double[] evaluate(int n, double z) {
        double p0 = 1.0;
        double p1 = z;
        for (int k = 2; k <= n; k++) {
            double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        double pn = n == 0 ? 1.0 : p1;
        double pnm1 = n == 1 ? 1.0 : p0;
        double dp = n * (z * pn - pnm1) / (z * z - 1.0);
        return new double[] {pn, dp};
    }
}
