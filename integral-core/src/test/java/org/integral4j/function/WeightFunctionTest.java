package org.integral4j.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.Quadrature;
import org.integral4j.quadrature.RectangleQuadrature;
import org.integral4j.quadrature.SimpsonQuadrature;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sampling, the right inverse and shape contracts of {@link WeightFunction}. */
class WeightFunctionTest {

    static Stream<Arguments> roundTripCases() {
        return Stream.of(
                // shape, continuous axes, quadrature on the input axis
                Arguments.of(new long[] {2, 3}, new int[] {0, 1}, false),
                Arguments.of(new long[] {5, 6}, new int[] {0, 1}, true),
                Arguments.of(new long[] {64, 33}, new int[] {0, 1}, true),
                Arguments.of(new long[] {10, 7}, new int[] {1}, true),
                Arguments.of(new long[] {10, 7}, new int[] {0}, false),
                Arguments.of(new long[] {8, 6, 3, 3}, new int[] {0, 1}, true),
                Arguments.of(new long[] {32, 16, 3, 3}, new int[] {0, 1}, true),
                Arguments.of(new long[] {12, 2, 5, 5}, new int[] {0}, false),
                Arguments.of(new long[] {7, 9, 1, 3}, new int[] {1}, true),
                Arguments.of(new long[] {9}, new int[] {0}, false));
    }

    private static WeightFunction function(long[] shape, int[] axes, boolean quadrature) {
        WeightFunction.Builder b = WeightFunction.builder(shape).continuousAxes(axes);
        if (quadrature) {
            b.quadrature(TrapezoidalQuadrature.INSTANCE, 1);
        }
        return b.build();
    }

    private static Grid1D[] grids(WeightFunction f, java.util.function.IntFunction<Grid1D> family) {
        int[] axes = f.continuousAxes();
        Grid1D[] g = new Grid1D[axes.length];
        for (int i = 0; i < axes.length; i++) {
            g[i] = family.apply((int) f.weightShape()[axes[i]]);
        }
        return g;
    }

    @ParameterizedTest
    @MethodSource("roundTripCases")
    void sampleOfRightInverseIsTheWeightOnUniformGrids(long[] shape, int[] axes, boolean quadrature) {
        WeightFunction f = function(shape, axes, quadrature);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray w = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).castTo(type);
            INDArray copy = w.dup();
            INDArray lambda = f.rightInverse(w);
            assertEquals(type, lambda.dataType());
            assertArrayEquals(f.lambdaShape(), lambda.shape());
            TensorAssert.assertClose(f + " " + type, w, f.sample(lambda, grids(f, Grid1D::uniform)), 1e-6, 0);
            assertEquals(copy, w, "the weight must not be modified");
        }
    }

    @ParameterizedTest
    @MethodSource("roundTripCases")
    void sampleOfRightInverseIsTheWeightOnNonUniformGrids(long[] shape, int[] axes, boolean quadrature) {
        WeightFunction f = function(shape, axes, quadrature);
        INDArray w = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        java.util.Random rng = new java.util.Random(3);
        Grid1D[] g = grids(f, n -> jittered(n, rng));
        INDArray lambda = f.rightInverse(w, g);
        TensorAssert.assertClose(f + " on " + java.util.Arrays.toString(g), w, f.sample(lambda, g), 1e-6, 0);
        if (shape[axes[0]] <= 10) {
            Grid1D[] legendre = grids(f, Grid1D::legendre);
            TensorAssert.assertClose(f + " on Legendre nodes", w, f.sample(f.rightInverse(w, legendre), legendre),
                    1e-6, 0);
        }
    }

    /** A trained-looking grid: ends at -1 and 1, interior points moved by up to 30% of the spacing. */
    private static Grid1D jittered(int n, java.util.Random rng) {
        double[] x = Grid1D.uniform(n).points();
        for (int i = 1; i < n - 1; i++) {
            x[i] += 0.6 * (rng.nextDouble() - 0.5) * 2.0 / (n - 1);
        }
        return Grid1D.of(x);
    }

    @Test
    void clusteredGridsNeedMoreKnots() {
        // 64 Gauss-Legendre nodes put five points in the first knot interval of 64 knots, where the
        // interpolation rows span only three columns: no lambda reproduces an arbitrary weight.
        WeightFunction tight = WeightFunction.builder(64, 3).continuousAxes(0).build();
        INDArray w = Nd4j.rand(DataType.DOUBLE, 64, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tight.rightInverse(w, Grid1D.legendre(64)));
        assertTrue(e.getMessage().contains("rank deficient") && e.getMessage().contains("lambdaSizes"), e.getMessage());
        // Four times as many knots separate them.
        WeightFunction fine = WeightFunction.builder(64, 3).continuousAxes(0).lambdaSizes(256).build();
        INDArray lambda = fine.rightInverse(w, Grid1D.legendre(64));
        TensorAssert.assertClose("legendre 64 on 256 knots", w, fine.sample(lambda, Grid1D.legendre(64)), 1e-6, 0);
    }

    @Test
    void lambdaAtTwiceTheResolutionStillReproducesTheWeight() {
        WeightFunction f = WeightFunction.builder(12, 10, 3, 3).continuousAxes(0, 1).lambdaSizes(24, 20)
                .quadrature(TrapezoidalQuadrature.INSTANCE, 1).build();
        assertArrayEquals(new long[] {24, 20, 3, 3}, f.lambdaShape());
        INDArray w = Nd4j.rand(DataType.DOUBLE, 12, 10, 3, 3);
        INDArray lambda = f.rightInverse(w);
        TensorAssert.assertClose("scale 2", w, f.sample(lambda, Grid1D.uniform(12), Grid1D.uniform(10)), 1e-6, 0);
        // Resampling at another size works at any resolution.
        assertArrayEquals(new long[] {5, 4, 3, 3}, f.sample(lambda, Grid1D.uniform(5), Grid1D.uniform(4)).shape());
    }

    @Test
    void lambdaAtLowerResolutionIsTheLeastSquaresFit() {
        WeightFunction f = WeightFunction.builder(20, 4).continuousAxes(0).lambdaSizes(8).build();
        INDArray w = Nd4j.rand(DataType.DOUBLE, 20, 4);
        INDArray lambda = f.rightInverse(w);
        INDArray residual = f.sample(lambda, Grid1D.uniform(20)).sub(w);
        // Normal equations: A^T (A lambda - W) = 0, i.e. the backward pass of the residual vanishes.
        INDArray normal = f.backward(lambda, residual, false, Grid1D.uniform(20)).lambda();
        assertTrue(normal.norm2Number().doubleValue() < 1e-9, "A^T r = " + normal);
        assertTrue(residual.norm2Number().doubleValue() > 1e-3, "a random weight is not a smooth function");
    }

    @Test
    void resizedSampleInterpolatesSmoothWeights() {
        // A weight that is a smooth function of the channel positions is recovered at any size.
        // PyTorch's kernel constant A = -0.75 reproduces constants but not linear functions, so the
        // interpolation error falls like the knot spacing h (first order).
        Grid1D gOut = Grid1D.uniform(20);
        Grid1D gIn = Grid1D.uniform(9);
        double[] errors = new double[2];
        int[][] knots = {{65, 33}, {129, 65}};
        for (int k = 0; k < 2; k++) {
            WeightFunction f = WeightFunction.builder(knots[k][0], knots[k][1]).continuousAxes(0, 1).build();
            INDArray lambda = f.rightInverse(smooth(Grid1D.uniform(knots[k][0]), Grid1D.uniform(knots[k][1])));
            errors[k] = TensorAssert.maxAbsDiff(smooth(gOut, gIn), f.sample(lambda, gOut, gIn));
        }
        assertTrue(errors[0] < 5e-3, "error with 65x33 knots: " + errors[0]);
        assertTrue(errors[1] < 0.6 * errors[0], "halving h must about halve the error: " + errors[1] + " vs " + errors[0]);
    }

    private static INDArray smooth(Grid1D out, Grid1D in) {
        INDArray w = Nd4j.create(DataType.DOUBLE, out.size(), in.size());
        for (int o = 0; o < out.size(); o++) {
            for (int i = 0; i < in.size(); i++) {
                w.putScalar(o, i, Math.sin(2 * out.point(o)) * Math.cos(1.5 * in.point(i)));
            }
        }
        return w;
    }

    @Test
    void quadratureScalesTheInputAxisWithAFixedTrainVolume() {
        WeightFunction f = WeightFunction.builder(3, 5).continuousAxes(0, 1)
                .quadrature(TrapezoidalQuadrature.INSTANCE, 1).build();
        assertEquals(2.0, f.trainVolume());
        INDArray lambda = Nd4j.ones(DataType.DOUBLE, 3, 5);
        // Full size: q = [.25 .5 .5 .5 .25], tv = 2 -> [.5 1 1 1 .5].
        INDArray w = f.sample(lambda, Grid1D.uniform(3), Grid1D.uniform(5));
        assertEquals(0.5, w.getDouble(0, 0), 1e-15);
        assertEquals(1.0, w.getDouble(1, 2), 1e-15);
        // Resized to 3 inputs: q = [.5 1 .5], tv stays 2.
        INDArray r = f.sample(lambda, Grid1D.uniform(3), Grid1D.uniform(3));
        assertEquals(1.0, r.getDouble(0, 0), 1e-15);
        assertEquals(2.0, r.getDouble(0, 1), 1e-15);
        // TorchIntegral's right inverse: lambda = W in the interior, 2 W at the ends (uniform grid).
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 3, 5);
        INDArray inv = f.rightInverse(ones);
        assertEquals(2.0, inv.getDouble(0, 0), 1e-15);
        assertEquals(1.0, inv.getDouble(0, 2), 1e-15);
    }

    @Test
    void referenceQuadratureRule() {
        assertEquals(1, ReferenceConventions.quadratureAxis(false, new long[] {5, 4}, 0, 1));
        assertEquals(-1, ReferenceConventions.quadratureAxis(false, new long[] {5, 3}, 0, 1));
        assertEquals(-1, ReferenceConventions.quadratureAxis(true, new long[] {5}, 0));
        assertEquals(-1, ReferenceConventions.quadratureAxis(false, new long[] {5, 8, 3, 3}, 0));
        WeightFunction f = WeightFunction.builder(6, 8, 3, 3).continuousAxes(0, 1)
                .referenceQuadrature(TrapezoidalQuadrature.INSTANCE, false).build();
        assertEquals(1, f.quadratureAxis());
        assertEquals(3.5, f.trainVolume());
        WeightFunction none = WeightFunction.builder(8, 2, 3, 3).continuousAxes(0)
                .referenceQuadrature(TrapezoidalQuadrature.INSTANCE, false).build();
        assertEquals(-1, none.quadratureAxis());
        assertEquals(1.0, none.trainVolume());
    }

    @Test
    void shapeContract() {
        WeightFunction f = WeightFunction.builder(6, 4, 3, 3).name("conv_2.weight").continuousAxes(0, 1).build();
        Grid1D g6 = Grid1D.uniform(6);
        Grid1D g4 = Grid1D.uniform(4);
        INDArray lambda = Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3);
        assertArrayEquals(new long[] {6, 4, 3, 3}, f.sample(lambda, g6, g4).shape());
        IllegalArgumentException badLambda = assertThrows(IllegalArgumentException.class,
                () -> f.sample(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 2), g6, g4));
        assertTrue(badLambda.getMessage().startsWith("conv_2.weight: lambda has shape [6, 4, 3, 2], expected [6, 4, 3, 3]"),
                badLambda.getMessage());
        IllegalArgumentException oneGrid = assertThrows(IllegalArgumentException.class, () -> f.sample(lambda, g6));
        assertTrue(oneGrid.getMessage().contains("expected 2 grid(s)"), oneGrid.getMessage());
        IllegalArgumentException fullSize = assertThrows(IllegalArgumentException.class,
                () -> f.rightInverse(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3), g6, Grid1D.uniform(3)));
        assertTrue(fullSize.getMessage().contains("has 3 points but the weight has 4"), fullSize.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.rightInverse(Nd4j.rand(DataType.FLOAT, 6, 5, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> f.backward(lambda, Nd4j.rand(DataType.FLOAT, 6, 3, 3, 3),
                false, g6, g4));
        assertThrows(IllegalArgumentException.class, () -> f.sample(lambda.castTo(DataType.INT), g6, g4));
    }

    @Test
    void nanOrInfinityInLambdaIsRejectedOnEveryPath() {
        WeightFunction f = WeightFunction.builder(6, 4).name("dense").continuousAxes(0, 1)
                .quadrature(TrapezoidalQuadrature.INSTANCE, 1).build();
        INDArray lambda = Nd4j.rand(DataType.FLOAT, 6, 4);
        lambda.putScalar(2, 3, Float.NaN);
        IllegalArgumentException fullSize = assertThrows(IllegalArgumentException.class,
                () -> f.sample(lambda, Grid1D.uniform(6), Grid1D.uniform(4)));
        assertTrue(fullSize.getMessage().contains("lambda must be finite, got NaN at flat index 11"),
                fullSize.getMessage());
        lambda.putScalar(2, 3, Float.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> f.sample(lambda, Grid1D.uniform(3), Grid1D.uniform(4)));
        INDArray w = Nd4j.rand(DataType.FLOAT, 6, 4);
        w.putScalar(0, 0, Float.NaN);
        assertThrows(IllegalArgumentException.class, () -> f.rightInverse(w));
    }

    @Test
    void builderRejectsInvalidConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> WeightFunction.builder(4, 4).build());
        assertThrows(IllegalArgumentException.class, () -> WeightFunction.builder(4, 4, 3).continuousAxes(0, 1, 2).build());
        assertThrows(IllegalArgumentException.class, () -> WeightFunction.builder(4, 4).continuousAxes(1, 1).build());
        assertThrows(IllegalArgumentException.class, () -> WeightFunction.builder(4, 4).continuousAxes(2).build());
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
                () -> WeightFunction.builder(4, 1).continuousAxes(1).build());
        assertTrue(single.getMessage().contains("Keep that axis discrete"), single.getMessage());
        IllegalArgumentException discreteQuadrature = assertThrows(IllegalArgumentException.class,
                () -> WeightFunction.builder(4, 4).continuousAxes(0).quadrature(TrapezoidalQuadrature.INSTANCE, 1).build());
        assertTrue(discreteQuadrature.getMessage().contains("must be one of the continuous axes"),
                discreteQuadrature.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightFunction.builder(4, 0));
        assertThrows(IllegalArgumentException.class,
                () -> WeightFunction.builder(4, 4).continuousAxes(0).lambdaSizes(3, 3).build());
    }

    @Test
    void simpsonIsRejectedForGridGradients() {
        Quadrature simpson = SimpsonQuadrature.INSTANCE;
        WeightFunction f = WeightFunction.builder(4, 5).continuousAxes(0, 1).quadrature(simpson, 1).build();
        INDArray lambda = Nd4j.rand(DataType.DOUBLE, 4, 5);
        Grid1D[] g = {Grid1D.uniform(4), Grid1D.uniform(5)};
        INDArray dW = Nd4j.rand(DataType.DOUBLE, 4, 5);
        assertFalse(f.backward(lambda, dW, false, g).hasGridGradients());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.backward(lambda, dW, true, g));
        assertTrue(e.getMessage().contains("simpson") && e.getMessage().contains("trapezoidal"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> f.backward(lambda, dW, false, g).grid(0));
        WeightFunction left = WeightFunction.builder(4, 5).continuousAxes(0, 1)
                .quadrature(new RectangleQuadrature(RectangleQuadrature.Rule.LEFT), 1).build();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> left.rightInverse(Nd4j.rand(DataType.DOUBLE, 4, 5)));
        assertTrue(zero.getMessage().contains("weight 0"), zero.getMessage());
    }
}
