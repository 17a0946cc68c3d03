package org.integral4j.function;

/**
 * Moore-Penrose pseudo-inverse of a full-rank dense matrix by Cholesky factorisation of its Gram
 * matrix: {@code A+ = A^T (A A^T)^-1} when {@code n <= m} (the minimum-norm right inverse, so
 * {@code A A+ = I}) and {@code A+ = (A^T A)^-1 A^T} when {@code n > m} (least squares). A tiny
 * ridge ({@link #RIDGE} times the mean diagonal) keeps the factorisation stable when rows are
 * nearly dependent.
 */
final class PseudoInverse {

    /** Relative ridge added to the Gram matrix's diagonal. */
    static final double RIDGE = 1e-13;

    private PseudoInverse() {
    }

    /**
     * The pseudo-inverse.
     *
     * @param a an {@code n x m} matrix (not modified)
     * @return the {@code m x n} pseudo-inverse
     */
    static double[][] of(double[][] a) {
        int n = a.length;
        int m = a[0].length;
        if (n <= m) {
            double[][] gram = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int k = 0; k < m; k++) {
                        s += a[i][k] * a[j][k];
                    }
                    gram[i][j] = s;
                    gram[j][i] = s;
                }
            }
            double[][] l = cholesky(gram);
            // X = (A A^T)^-1 A, then A+ = X^T.
            double[][] result = new double[m][n];
            double[] column = new double[n];
            for (int k = 0; k < m; k++) {
                for (int i = 0; i < n; i++) {
                    column[i] = a[i][k];
                }
                solveInPlace(l, column);
                for (int i = 0; i < n; i++) {
                    result[k][i] = column[i];
                }
            }
            return result;
        }
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[k][i] * a[k][j];
                }
                gram[i][j] = s;
                gram[j][i] = s;
            }
        }
        double[][] l = cholesky(gram);
        double[][] result = new double[m][n];
        double[] column = new double[m];
        for (int k = 0; k < n; k++) {
            System.arraycopy(a[k], 0, column, 0, m);
            solveInPlace(l, column);
            for (int i = 0; i < m; i++) {
                result[i][k] = column[i];
            }
        }
        return result;
    }

    private static double[][] cholesky(double[][] g) {
        int n = g.length;
        double meanDiagonal = 0;
        for (int i = 0; i < n; i++) {
            meanDiagonal += g[i][i] / n;
        }
        double ridge = RIDGE * Math.max(meanDiagonal, Double.MIN_NORMAL);
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = g[i][j] + (i == j ? ridge : 0.0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (s <= 0) {
                        throw new IllegalArgumentException("The interpolation matrix is rank deficient (pivot " + i
                                + " is " + s + "): two grid points are too close to tell their channels apart.");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** Solves (L L^T) x = b in place. */
    private static void solveInPlace(double[][] l, double[] b) {
        int n = b.length;
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * b[k];
            }
            b[i] = s / l[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * b[k];
            }
            b[i] = s / l[i][i];
        }
    }
}
