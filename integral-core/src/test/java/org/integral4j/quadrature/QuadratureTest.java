package org.integral4j.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.integral4j.grid.Grid1D;
import org.integral4j.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/** Each rule against analytic integrals and its expected order of convergence. */
class QuadratureTest {

    private static final DoubleUnaryOperator F = x -> Math.exp(x) * Math.sin(3 * x) + 1;
    /** integral_{-1}^{1} e^x sin(3x) dx + 2. */
    private static final double EXACT = exactIntegral();

    private static double exactIntegral() {
        // Antiderivative of e^x sin(3x): e^x (sin 3x - 3 cos 3x) / 10.
        DoubleUnaryOperator anti = x -> Math.exp(x) * (Math.sin(3 * x) - 3 * Math.cos(3 * x)) / 10;
        return anti.applyAsDouble(1) - anti.applyAsDouble(-1) + 2;
    }

    private static double error(Quadrature q, Grid1D g) {
        return Math.abs(Integration.integrate(F, g, q) - EXACT);
    }

    /** log2 of the error ratio when the spacing halves. */
    private static double observedOrder(Quadrature q, java.util.function.IntFunction<Grid1D> grid, int intervals) {
        double coarse = error(q, grid.apply(intervals));
        double fine = error(q, grid.apply(2 * intervals));
        return Math.log(coarse / fine) / Math.log(2);
    }

    @Test
    void trapezoidConvergesAtSecondOrder() {
        double order = observedOrder(TrapezoidalQuadrature.INSTANCE, n -> Grid1D.uniform(n + 1), 64);
        assertEquals(2.0, order, 0.05);
        assertTrue(error(TrapezoidalQuadrature.INSTANCE, Grid1D.uniform(513)) < 1e-5);
    }

    @Test
    void trapezoidOnNonUniformGridStillSecondOrder() {
        // Chebyshev-like stretched grid x = sin(pi/2 * u) on uniform u.
        java.util.function.IntFunction<Grid1D> stretched = n -> {
            double[] x = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                x[i] = Math.sin(Math.PI / 2 * (-1 + 2.0 * i / n));
            }
            x[0] = -1;
            x[n] = 1;
            return Grid1D.of(x);
        };
        assertEquals(2.0, observedOrder(TrapezoidalQuadrature.INSTANCE, stretched, 64), 0.1);
    }

    @Test
    void simpsonConvergesAtFourthOrder() {
        double order = observedOrder(SimpsonQuadrature.INSTANCE, n -> Grid1D.uniform(n + 1), 16);
        assertEquals(4.0, order, 0.1);
        assertTrue(error(SimpsonQuadrature.INSTANCE, Grid1D.uniform(129)) < 1e-6);
    }

    @Test
    void simpsonIsExactForCubics() {
        double integral = Integration.integrate(x -> 4 * x * x * x + 3 * x * x - x + 1, Grid1D.uniform(3),
                SimpsonQuadrature.INSTANCE);
        assertEquals(4.0, integral, 1e-14);
    }

    @Test
    void gaussLegendreIsExactUpToDegree2nMinus1() {
        for (int n = 2; n <= 12; n++) {
            Grid1D g = Grid1D.legendre(n);
            for (int degree = 0; degree <= 2 * n - 1; degree++) {
                final int d = degree;
                double exact = d % 2 == 1 ? 0 : 2.0 / (d + 1);
                double got = Integration.integrate(x -> Math.pow(x, d), g, GaussLegendreQuadrature.INSTANCE);
                assertEquals(exact, got, 1e-13, "n=" + n + " degree " + d);
            }
            final int d = 2 * n;
            double miss = Integration.integrate(x -> Math.pow(x, d), g, GaussLegendreQuadrature.INSTANCE);
            assertTrue(Math.abs(miss - 2.0 / (d + 1)) > 1e-10, "degree 2n is not integrated exactly");
        }
    }

    @Test
    void rectangleRulesHaveTheirOrders() {
        assertEquals(1.0, observedOrder(new RectangleQuadrature(RectangleQuadrature.Rule.LEFT),
                n -> Grid1D.uniform(n + 1), 256), 0.05);
        assertEquals(1.0, observedOrder(new RectangleQuadrature(RectangleQuadrature.Rule.RIGHT),
                n -> Grid1D.uniform(n + 1), 256), 0.05);
        assertEquals(2.0, observedOrder(new RectangleQuadrature(RectangleQuadrature.Rule.MIDPOINT),
                Grid1D::cellCentered, 64), 0.05);
    }

    @Test
    void midpointWeightsAreCellWidths() {
        double[] w = new RectangleQuadrature(RectangleQuadrature.Rule.MIDPOINT).weights(Grid1D.cellCentered(4));
        for (double wi : w) {
            assertEquals(0.5, wi, 1e-15);
        }
        // A non-uniform tiling: cells [-1,0], [0,0.5], [0.5,1] have centres -0.5, 0.25, 0.75.
        double[] v = new RectangleQuadrature(RectangleQuadrature.Rule.MIDPOINT).weights(Grid1D.of(-0.5, 0.25, 0.75));
        assertEquals(1.0, v[0], 1e-15);
        assertEquals(0.5, v[1], 1e-15);
        assertEquals(0.5, v[2], 1e-15);
    }

    @Test
    void rulesRejectGridsTheyCannotIntegrate() {
        IllegalArgumentException even = assertThrows(IllegalArgumentException.class,
                () -> SimpsonQuadrature.INSTANCE.weights(Grid1D.uniform(4)));
        assertTrue(even.getMessage().contains("odd number") && even.getMessage().contains("got 4"), even.getMessage());
        IllegalArgumentException nonUniform = assertThrows(IllegalArgumentException.class,
                () -> SimpsonQuadrature.INSTANCE.weights(Grid1D.of(-1, -0.2, 1)));
        assertTrue(nonUniform.getMessage().contains("equally spaced"), nonUniform.getMessage());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> GaussLegendreQuadrature.INSTANCE.weights(Grid1D.uniform(5)));
        assertTrue(foreign.getMessage().contains("expected the Gauss-Legendre node")
                && foreign.getMessage().contains("Grid1D.legendre(5)"), foreign.getMessage());
        IllegalArgumentException tiling = assertThrows(IllegalArgumentException.class,
                () -> new RectangleQuadrature(RectangleQuadrature.Rule.MIDPOINT).weights(Grid1D.uniform(5)));
        assertTrue(tiling.getMessage().contains("cellCentered"), tiling.getMessage());
    }

    @Test
    void weightVjpsMatchFiniteDifferences() {
        DifferentiableQuadrature[] rules = {TrapezoidalQuadrature.INSTANCE,
            new RectangleQuadrature(RectangleQuadrature.Rule.LEFT),
            new RectangleQuadrature(RectangleQuadrature.Rule.RIGHT)};
        double[] x = {-0.9, -0.7, -0.1, 0.3, 0.35, 0.95};
        double[] upstream = {0.3, -1.2, 0.5, 2.0, -0.7, 1.1};
        for (DifferentiableQuadrature q : rules) {
            checkVjp(q, x, upstream);
        }
        // Perturbing one midpoint breaks the tiling, so check the midpoint VJP analytically: the
        // weights sum to c_n - c_0 with c_n = 2 x_4 - 2 x_3 + 2 x_2 - 2 x_1 + 2 x_0 - c_0.
        double[] centres = Grid1D.cellCentered(5).points();
        double[] dx = new RectangleQuadrature(RectangleQuadrature.Rule.MIDPOINT)
                .weightsVjp(Grid1D.of(centres), new double[] {1, 1, 1, 1, 1});
        double[] expected = {2, -2, 2, -2, 2};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], dx[i], 1e-12);
        }
    }

    private static void checkVjp(DifferentiableQuadrature q, double[] x, double[] upstream) {
        double[] analytic = q.weightsVjp(Grid1D.of(x), upstream);
        for (int j = 0; j < x.length; j++) {
            final int jj = j;
            double[] p = x.clone();
            double numeric = GradientCheck.centralDifference(v -> p[jj] = v, () -> p[jj],
                    () -> dot(q.weights(Grid1D.of(p)), upstream));
            assertEquals(numeric, analytic[j], 1e-8, q + " point " + j);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
