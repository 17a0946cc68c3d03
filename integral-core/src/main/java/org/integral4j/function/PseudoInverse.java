package org.integral4j.function;

/**
 * Moore-Penrose pseudo-inverse of a full-rank dense matrix by Householder QR, which works with
 * the condition number of the matrix rather than its square (as normal equations would):
 * <ul>
 *   <li>{@code n <= m}: {@code A^T = Q R}, {@code A+ = Q R^-T}, the minimum-norm right inverse,
 *       so {@code A A+ = I};</li>
 *   <li>{@code n > m}: {@code A = Q R}, {@code A+ = R^-1 Q^T}, the least-squares solution.</li>
 * </ul>
 */
final class PseudoInverse {

    /** A diagonal entry of R below this fraction of the largest one means rank deficiency. */
    static final double RANK_TOLERANCE = 1e-13;

    private PseudoInverse() {
    }

    /**
     * The pseudo-inverse.
     *
     * @param a an {@code n x m} matrix (not modified)
     * @return the {@code m x n} pseudo-inverse
     * @throws IllegalArgumentException when the matrix is numerically rank deficient
     */
    static double[][] of(double[][] a) {
        int n = a.length;
        int m = a[0].length;
        if (n <= m) {
            // QR of A^T (m x n); A+ = Q R^-T.
            double[][] qr = transpose(a);
            double[][] q = householderQ(qr);
            double[][] r = upper(qr, n);
            // X = R^-T (n x n), A+ = Q X.
            double[][] x = invertUpperTransposed(r);
            return multiply(q, x);
        }
        // QR of A (n x m); A+ = R^-1 Q^T.
        double[][] qr = copy(a);
        double[][] q = householderQ(qr);
        double[][] r = upper(qr, m);
        double[][] rInv = invertUpper(r);
        return multiply(rInv, transpose(q));
    }

    /**
     * Householder QR in place of a tall matrix {@code (rows >= cols)}: on return {@code a} holds R in
     * its upper triangle; the thin Q {@code (rows x cols)} is returned.
     */
    private static double[][] householderQ(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        double[][] v = new double[cols][];
        for (int k = 0; k < cols; k++) {
            double norm = 0;
            for (int i = k; i < rows; i++) {
                norm += a[i][k] * a[i][k];
            }
            norm = Math.sqrt(norm);
            double[] vk = new double[rows - k];
            double alpha = a[k][k] > 0 ? -norm : norm;
            for (int i = k; i < rows; i++) {
                vk[i - k] = a[i][k];
            }
            vk[0] -= alpha;
            double vNorm = 0;
            for (double x : vk) {
                vNorm += x * x;
            }
            if (vNorm > 0) {
                for (int j = k; j < cols; j++) {
                    double s = 0;
                    for (int i = k; i < rows; i++) {
                        s += vk[i - k] * a[i][j];
                    }
                    s = 2 * s / vNorm;
                    for (int i = k; i < rows; i++) {
                        a[i][j] -= s * vk[i - k];
                    }
                }
            }
            v[k] = vNorm > 0 ? scale(vk, Math.sqrt(2 / vNorm)) : vk;
        }
        // Q = H_0 H_1 ... H_{cols-1} applied to the first cols columns of the identity.
        double[][] q = new double[rows][cols];
        for (int j = 0; j < cols; j++) {
            q[j][j] = 1;
        }
        for (int k = cols - 1; k >= 0; k--) {
            double[] vk = v[k];
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = k; i < rows; i++) {
                    s += vk[i - k] * q[i][j];
                }
                for (int i = k; i < rows; i++) {
                    q[i][j] -= s * vk[i - k];
                }
            }
        }
        return q;
    }

    private static double[][] upper(double[][] a, int size) {
        double[][] r = new double[size][size];
        double max = 0;
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                r[i][j] = a[i][j];
            }
            max = Math.max(max, Math.abs(r[i][i]));
        }
        for (int i = 0; i < size; i++) {
            if (Math.abs(r[i][i]) <= RANK_TOLERANCE * max) {
                throw new IllegalArgumentException("The interpolation matrix is rank deficient (|R[" + i + "][" + i
                        + "]| = " + Math.abs(r[i][i]) + "): grid points are too close together to tell their "
                        + "channels apart at this lambda resolution. Use more knots (lambdaSizes) or a grid with "
                        + "better-separated points.");
            }
        }
        return r;
    }

    /** R^-1 for upper-triangular R. */
    private static double[][] invertUpper(double[][] r) {
        int n = r.length;
        double[][] inv = new double[n][n];
        for (int j = 0; j < n; j++) {
            // Solve R x = e_j by back substitution.
            for (int i = n - 1; i >= 0; i--) {
                double s = i == j ? 1.0 : 0.0;
                for (int k = i + 1; k < n; k++) {
                    s -= r[i][k] * inv[k][j];
                }
                inv[i][j] = s / r[i][i];
            }
        }
        return inv;
    }

    /** R^-T = (R^-1)^T. */
    private static double[][] invertUpperTransposed(double[][] r) {
        return transpose(invertUpper(r));
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    c[i][j] += aip * b[p][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[] scale(double[] v, double s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }
}
