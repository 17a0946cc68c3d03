package org.integral4j.quadrature;

import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.ProductGrid;
import org.integral4j.util.Arrays2;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Numerical integration over {@code [-1, 1]^d} with tensor-product quadrature:
 * {@code integral f ~ sum_{i_0..i_{d-1}} w^0_{i_0} ... w^{d-1}_{i_{d-1}} f(x^0_{i_0}, ..., x^{d-1}_{i_{d-1}})}.
 */
public final class Integration {

    private Integration() {
    }

    /**
     * Integrates a function of one variable.
     *
     * @param f    the integrand
     * @param grid the sample points
     * @param rule the quadrature
     * @return the approximate integral over the grid's domain
     */
    public static double integrate(DoubleUnaryOperator f, Grid1D grid, Quadrature rule) {
        Checks.requireNonNull("Integration", "function", f);
        double[] w = Checks.requireNonNull("Integration", "rule", rule).weights(grid);
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * f.applyAsDouble(grid.point(i));
        }
        return sum;
    }

    /**
     * Integrates a function of {@code d} variables on a product grid.
     *
     * @param f     the integrand; its argument array (length d) is reused between calls
     * @param grid  the product grid
     * @param rules one rule for every dimension, or one rule per dimension
     * @return the approximate integral
     */
    public static double integrate(ToDoubleFunction<double[]> f, ProductGrid grid, Quadrature... rules) {
        Checks.requireNonNull("Integration", "function", f);
        double[][] w = weightsPerAxis(grid, rules);
        int d = grid.dims();
        int[] idx = new int[d];
        double[] x = new double[d];
        long total = grid.size();
        double sum = 0;
        for (long k = 0; k < total; k++) {
            double wk = 1;
            for (int a = 0; a < d; a++) {
                x[a] = grid.axis(a).point(idx[a]);
                wk *= w[a][idx[a]];
            }
            sum += wk * f.applyAsDouble(x);
            for (int a = d - 1; a >= 0; a--) {
                if (++idx[a] < w[a].length) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return sum;
    }

    /**
     * Integrates sampled values.
     *
     * @param values samples of the integrand, shape {@code grid.shape()} (not modified)
     * @param grid   the product grid
     * @param rules  one rule for every dimension, or one rule per dimension
     * @return the approximate integral
     */
    public static double integrate(INDArray values, ProductGrid grid, Quadrature... rules) {
        Checks.requireNonNull("Integration", "values", values);
        Checks.requireShape("Integration", "values", grid.shape(), values.shape(),
                "Sample the integrand at every point of the grid.");
        double[][] w = weightsPerAxis(grid, rules);
        double[] v = Arrays2.toDoubles(values);
        // Contract the last axis first: v has shape (n_0, ..., n_{d-1}) in row-major order.
        int len = v.length;
        for (int a = grid.dims() - 1; a >= 0; a--) {
            int n = w[a].length;
            int outer = len / n;
            double[] next = new double[outer];
            for (int o = 0; o < outer; o++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += w[a][i] * v[o * n + i];
                }
                next[o] = s;
            }
            v = next;
            len = outer;
        }
        return v[0];
    }

    /**
     * Multiplies an array by quadrature weights along one axis (TorchIntegral's
     * {@code multiply_coefficients}): {@code out[..., i, ...] = values[..., i, ...] * w_i}.
     *
     * @param values the array (not modified)
     * @param axis   the axis along which the weights vary
     * @param grid   the grid of that axis; its size must equal the axis length
     * @param rule   the quadrature
     * @return a new array of the same shape and type
     */
    public static INDArray multiplyWeights(INDArray values, int axis, Grid1D grid, Quadrature rule) {
        Checks.requireNonNull("Integration", "values", values);
        Checks.requireIndex("Integration", "axis", axis, values.rank());
        Checks.require(values.size(axis) == grid.size(), "Integration",
                "axis %d of values has length %d but the grid has %d points.", axis, values.size(axis), grid.size());
        double[] w = rule.weights(grid);
        long[] shape = values.shape();
        double[] v = Arrays2.toDoubles(values);
        int n = grid.size();
        long inner = Arrays2.product(shape, axis + 1, shape.length);
        for (int k = 0; k < v.length; k++) {
            v[k] *= w[(int) ((k / inner) % n)];
        }
        return Arrays2.fromDoubles(v, shape, values.dataType());
    }

    private static double[][] weightsPerAxis(ProductGrid grid, Quadrature... rules) {
        Checks.requireNonNull("Integration", "grid", grid);
        Checks.requireNonNull("Integration", "rules", rules);
        Checks.require(rules.length == 1 || rules.length == grid.dims(), "Integration",
                "expected one rule or one per dimension (%d), got %d.", grid.dims(), rules.length);
        double[][] w = new double[grid.dims()][];
        for (int a = 0; a < grid.dims(); a++) {
            Quadrature rule = Checks.requireNonNull("Integration", "rule", rules.length == 1 ? rules[0] : rules[a]);
            w[a] = rule.weights(grid.axis(a));
        }
        return w;
    }
}
