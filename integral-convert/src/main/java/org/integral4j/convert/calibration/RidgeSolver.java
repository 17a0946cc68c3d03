package org.integral4j.convert.calibration;

import java.util.Arrays;
import org.integral4j.util.Checks;

/**
 * Small dense symmetric positive-definite solves in double precision (Cholesky), for the normal
 * equations of the calibration's least-squares fits. The systems have one unknown per input of a
 * layer row ({@code C_in * kH * kW + 1}, a few hundred to a few thousand), so a plain Cholesky is
 * fast enough and needs no further dependency; the Gram matrices themselves are computed with
 * ND4J's GEMM.
 */
public final class RidgeSolver {

    private RidgeSolver() {
    }

    /**
     * Solves the ridge-regularised normal equations
     * {@code (G + alpha D) Theta = H + alpha D Theta0}, the minimiser of
     * {@code ||X Theta - Y||^2 + alpha ||D^(1/2) (Theta - Theta0)||^2} for {@code G = X^T X},
     * {@code H = X^T Y}.
     *
     * @param gram      {@code G}, {@code (d, d)}, symmetric positive semi-definite (not modified)
     * @param rhs       {@code H}, {@code (d, k)} (not modified)
     * @param prior     {@code Theta0}, {@code (d, k)} (not modified)
     * @param alpha     non-negative strength
     * @param penalised {@code diag(D)}: which rows are penalised (true: 1, false: 0), length d
     * @return {@code Theta}, {@code (d, k)}
     * @throws IllegalArgumentException when the system is not positive definite (a zero column
     *                                  without penalty)
     */
    public static double[][] solve(double[][] gram, double[][] rhs, double[][] prior, double alpha,
                                   boolean[] penalised) {
        int d = gram.length;
        Checks.require(rhs.length == d && prior.length == d && penalised.length == d, "RidgeSolver",
                "shapes: G is %dx%d, H has %d rows, Theta0 has %d rows, penalty mask %d.", d, d, rhs.length,
                prior.length, penalised.length);
        int k = rhs[0].length;
        double[][] a = new double[d][d];
        double[][] b = new double[d][k];
        for (int i = 0; i < d; i++) {
            System.arraycopy(gram[i], 0, a[i], 0, d);
            double pen = penalised[i] ? alpha : 0;
            a[i][i] += pen;
            for (int j = 0; j < k; j++) {
                b[i][j] = rhs[i][j] + pen * prior[i][j];
            }
        }
        double jitter = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            double[][] l = cholesky(a, jitter);
            if (l != null) {
                return substitute(l, b);
            }
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += a[i][i];
            }
            jitter = Math.max(jitter * 100, 1e-10 * Math.max(mean / d, 1e-30));
        }
        throw new IllegalArgumentException("RidgeSolver: the " + d + "x" + d + " normal equations are not positive "
                + "definite (an input column is constant zero and unpenalised); use a positive ridge.");
    }

    /** Lower-triangular L with {@code L L^T = A + jitter I}, or null when not positive definite. */
    static double[][] cholesky(double[][] a, double jitter) {
        int d = a.length;
        double[][] l = new double[d][];
        for (int i = 0; i < d; i++) {
            l[i] = new double[i + 1];
            double[] li = l[i];
            for (int j = 0; j <= i; j++) {
                double[] lj = l[j];
                double s = a[i][j] + (i == j ? jitter : 0);
                for (int p = 0; p < j; p++) {
                    s -= li[p] * lj[p];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        return null;
                    }
                    li[i] = Math.sqrt(s);
                } else {
                    li[j] = s / lj[j];
                }
            }
        }
        return l;
    }

    /** Solves {@code L L^T X = B} column by column (contiguous inner loops). */
    private static double[][] substitute(double[][] l, double[][] b) {
        int d = l.length;
        int k = b[0].length;
        double[][] x = new double[d][k];
        double[] v = new double[d];
        double[][] u = new double[d][];
        for (int i = 0; i < d; i++) {
            u[i] = new double[d - i];
            for (int p = i; p < d; p++) {
                u[i][p - i] = l[p][i];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                double s = b[i][c];
                double[] li = l[i];
                for (int p = 0; p < i; p++) {
                    s -= li[p] * v[p];
                }
                v[i] = s / li[i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = v[i];
                double[] ui = u[i];
                for (int p = i + 1; p < d; p++) {
                    s -= ui[p - i] * v[p];
                }
                v[i] = s / ui[0];
            }
            for (int i = 0; i < d; i++) {
                x[i][c] = v[i];
            }
        }
        return x;
    }

    /**
     * Least-squares right factor: the {@code (n, m)} matrix {@code T} minimising
     * {@code ||T A - B||} for {@code A (m, k)}, {@code B (n, k)}, i.e. {@code T = B A^T (A A^T)^-1}
     * (with a tiny ridge for stability).
     *
     * @param b {@code B} (not modified)
     * @param a {@code A} (not modified)
     * @return {@code T}
     */
    public static double[][] rightDivide(double[][] b, double[][] a) {
        int m = a.length;
        int k = a[0].length;
        int n = b.length;
        double[][] aat = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i][p] * a[j][p];
                }
                aat[i][j] = s;
            }
        }
        double[][] abt = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i][p] * b[j][p];
                }
                abt[i][j] = s;
            }
        }
        boolean[] pen = new boolean[m];
        Arrays.fill(pen, true);
        double[][] t = solve(aat, abt, new double[m][n], 1e-12, pen);
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i][j] = t[j][i];
            }
        }
        return out;
    }
}
