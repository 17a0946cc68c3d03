package org.integral4j.function;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.Quadrature;
import org.integral4j.quadrature.RectangleQuadrature;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.integral4j.testing.GradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference checks in double precision of {@link WeightFunction#backward}: the loss is
 * {@code L = sum(G * sample(lambda, grids))} for a fixed random {@code G}, so {@code dL/dW = G}.
 */
class WeightFunctionGradientTest {

    private static final double MAX_REL_ERROR = 1e-5;
    private static final double ABS_FLOOR = 1e-8;

    static Stream<Arguments> cases() {
        Quadrature trapezoid = TrapezoidalQuadrature.INSTANCE;
        Quadrature left = new RectangleQuadrature(RectangleQuadrature.Rule.LEFT);
        return Stream.of(
                // weight shape, continuous axes, lambda sizes, grid sizes, quadrature
                Arguments.of(new long[] {6, 5}, new int[] {0, 1}, null, new int[] {4, 3}, trapezoid),
                Arguments.of(new long[] {6, 5}, new int[] {0, 1}, null, new int[] {6, 5}, trapezoid),
                Arguments.of(new long[] {6, 5, 3, 3}, new int[] {0, 1}, null, new int[] {5, 4}, trapezoid),
                Arguments.of(new long[] {5, 7, 2, 2}, new int[] {0, 1}, new int[] {9, 4}, new int[] {5, 6}, trapezoid),
                Arguments.of(new long[] {4, 7}, new int[] {1}, null, new int[] {5}, trapezoid),
                Arguments.of(new long[] {7, 2, 3, 3}, new int[] {0}, null, new int[] {4}, null),
                Arguments.of(new long[] {6, 5}, new int[] {0, 1}, null, new int[] {4, 4}, left),
                Arguments.of(new long[] {8}, new int[] {0}, null, new int[] {5}, null));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void lambdaAndGridGradientsMatchCentralDifferences(long[] shape, int[] axes, int[] lambdaSizes, int[] gridSizes,
                                                       Quadrature quadrature) {
        WeightFunction.Builder b = WeightFunction.builder(shape).continuousAxes(axes);
        if (lambdaSizes != null) {
            b.lambdaSizes(lambdaSizes);
        }
        if (quadrature != null) {
            b.quadrature(quadrature, 1);
        }
        WeightFunction f = b.build();
        Random rng = new Random(17);
        Grid1D[] grids = new Grid1D[axes.length];
        for (int i = 0; i < axes.length; i++) {
            grids[i] = jittered(gridSizes[i], rng);
        }
        INDArray lambda = Nd4j.rand(DataType.DOUBLE, f.lambdaShape()).subi(0.5);
        INDArray g = Nd4j.rand(DataType.DOUBLE, f.sampledShape(grids)).subi(0.5);
        WeightGradients analytic = f.backward(lambda, g, true, grids);

        double worst = 0;
        for (long k = 0; k < lambda.length(); k++) {
            final long kk = k;
            double numeric = GradientCheck.centralDifference(v -> {
                lambda.putScalar(kk, v);
                return v;
            }, () -> lambda.getDouble(kk), () -> loss(f, lambda, g, grids));
            worst = Math.max(worst, GradientCheck.relativeError(analytic.lambda().getDouble(k), numeric, ABS_FLOOR));
        }
        assertTrue(worst < MAX_REL_ERROR, f + ": worst relative error of dL/dlambda " + worst);

        for (int c = 0; c < axes.length; c++) {
            double[] points = grids[c].points();
            double[] dx = analytic.grid(c);
            for (int i = 0; i < points.length; i++) {
                final int cc = c;
                final int ii = i;
                double[] p = points.clone();
                double numeric = GradientCheck.centralDifference(v -> p[ii] = v, () -> p[ii], () -> {
                    Grid1D[] moved = grids.clone();
                    moved[cc] = Grid1D.of(p);
                    return loss(f, lambda, g, moved);
                });
                double err = GradientCheck.relativeError(dx[i], numeric, ABS_FLOOR);
                assertTrue(err < MAX_REL_ERROR, f + ": grid " + c + " point " + i + " analytic " + dx[i]
                        + " numeric " + numeric);
            }
        }
    }

    /** Points strictly inside (-1, 1), away from the knots, so finite differences stay valid. */
    private static Grid1D jittered(int n, Random rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.97 * (-1 + 2.0 * i / (n - 1)) + 0.01 * (rng.nextDouble() - 0.5);
        }
        return Grid1D.of(x);
    }

    private static double loss(WeightFunction f, INDArray lambda, INDArray g, Grid1D[] grids) {
        return f.sample(lambda, grids).mul(g).sumNumber().doubleValue();
    }
}
