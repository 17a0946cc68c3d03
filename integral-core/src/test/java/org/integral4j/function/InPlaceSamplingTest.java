package org.integral4j.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.Quadrature;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.integral4j.testing.GradientCheck;
import org.integral4j.testing.TensorAssert;
import org.integral4j.util.Arrays2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The in-place paths of {@link WeightFunction#sampleInto} and {@link WeightFunction#lambdaGradientInto}
 * (per-thread work arrays, bulk copies, float kernels for FLOAT): buffers sized for the full width
 * and viewed at a smaller one, lambda as a view into a flat parameter vector, central differences in
 * double precision, and the float kernels against the double ones.
 */
class InPlaceSamplingTest {

    private static final double MAX_REL_ERROR = 1e-5;
    private static final double ABS_FLOOR = 1e-8;

    static Stream<Arguments> cases() {
        Quadrature trapezoid = TrapezoidalQuadrature.INSTANCE;
        return Stream.of(
                // weight shape, continuous axes, lambda sizes, grid sizes, quadrature
                Arguments.of(new long[] {6, 5}, new int[] {0, 1}, null, new int[] {4, 3}, trapezoid),
                Arguments.of(new long[] {6, 5, 3, 3}, new int[] {0, 1}, null, new int[] {5, 4}, trapezoid),
                Arguments.of(new long[] {5, 7, 2, 2}, new int[] {0, 1}, new int[] {9, 4}, new int[] {5, 6}, trapezoid),
                Arguments.of(new long[] {4, 7}, new int[] {1}, null, new int[] {5}, trapezoid),
                Arguments.of(new long[] {7, 2, 3, 3}, new int[] {0}, null, new int[] {4}, null),
                Arguments.of(new long[] {8}, new int[] {0}, null, new int[] {5}, null),
                // more points than knots (upsampling)
                Arguments.of(new long[] {4, 4}, new int[] {0, 1}, null, new int[] {7, 6}, trapezoid));
    }

    private static WeightFunction function(long[] shape, int[] axes, int[] lambdaSizes, Quadrature quadrature) {
        WeightFunction.Builder b = WeightFunction.builder(shape).continuousAxes(axes);
        if (lambdaSizes != null) {
            b.lambdaSizes(lambdaSizes);
        }
        if (quadrature != null) {
            b.quadrature(quadrature, axes.length == 2 ? 1 : axes[0]);
        }
        return b.build();
    }

    private static Grid1D[] grids(int[] sizes) {
        Random rng = new Random(23);
        Grid1D[] g = new Grid1D[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            double[] x = new double[sizes[i]];
            for (int k = 0; k < x.length; k++) {
                x[k] = 0.97 * (-1 + 2.0 * k / (x.length - 1)) + 0.01 * (rng.nextDouble() - 0.5);
            }
            g[i] = Grid1D.of(x);
        }
        return g;
    }

    /** A 'c' view of the first elements of a larger buffer, as a layer's full-width buffer viewed at the drawn width. */
    private static INDArray prefixView(INDArray buffer, long[] shape) {
        return Nd4j.create(buffer.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c', buffer.dataType());
    }

    /** Lambda as a view at an offset inside a flat parameter vector, as in a DL4J layer. */
    private static INDArray lambdaView(WeightFunction f, DataType type, long seed) {
        long[] shape = f.lambdaShape();
        long n = Arrays2.product(shape, 0, shape.length);
        Nd4j.getRandom().setSeed(seed);
        INDArray flat = Nd4j.rand(type, 1, n + 7).subi(0.5);
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + n)).reshape('c', shape);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sampleIntoAViewOfALargerBufferEqualsTheAllocatingPath(long[] shape, int[] axes, int[] lambdaSizes,
                                                               int[] gridSizes, Quadrature quadrature) {
        WeightFunction f = function(shape, axes, lambdaSizes, quadrature);
        Grid1D[] g = grids(gridSizes);
        INDArray lambda = lambdaView(f, DataType.DOUBLE, 3);
        assertTrue(lambda.offset() > 0, "lambda is a view at an offset");
        long[] sampled = f.sampledShape(g);
        INDArray buffer = Nd4j.valueArrayOf(new long[] {Arrays2.product(sampled, 0, sampled.length) + 50}, 9.0,
                DataType.DOUBLE);
        INDArray out = prefixView(buffer, sampled);
        assertSame(out, f.sampleInto(lambda, out, g));
        // The portable path (a copy of lambda in 'f' order goes through the double[] kernels) is the reference.
        INDArray expected = f.sample(lambda.dup('f'), g);
        TensorAssert.assertClose("sampleInto", expected, out, 1e-15, 1e-13);
        assertEquals(9.0, buffer.getDouble(buffer.length() - 1), 0.0, "the rest of the buffer is untouched");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void lambdaGradientIntoMatchesCentralDifferences(long[] shape, int[] axes, int[] lambdaSizes, int[] gridSizes,
                                                     Quadrature quadrature) {
        WeightFunction f = function(shape, axes, lambdaSizes, quadrature);
        Grid1D[] g = grids(gridSizes);
        INDArray lambda = lambdaView(f, DataType.DOUBLE, 5);
        Nd4j.getRandom().setSeed(8);
        long[] sampled = f.sampledShape(g);
        INDArray buffer = Nd4j.rand(DataType.DOUBLE, Arrays2.product(sampled, 0, sampled.length) + 11);
        INDArray upstream = prefixView(buffer, sampled).subi(0.5);
        INDArray grad = lambdaView(f, DataType.DOUBLE, 6);
        assertSame(grad, f.lambdaGradientInto(lambda, upstream, grad, g));
        double worst = 0;
        for (long k = 0; k < lambda.length(); k++) {
            final long kk = k;
            double numeric = GradientCheck.centralDifference(v -> {
                lambda.putScalar(kk, v);
                return v;
            }, () -> lambda.getDouble(kk), () -> f.sample(lambda, g).mul(upstream).sumNumber().doubleValue());
            worst = Math.max(worst, GradientCheck.relativeError(grad.getDouble(k), numeric, ABS_FLOOR));
        }
        assertTrue(worst < MAX_REL_ERROR, f + ": worst relative error of dL/dlambda " + worst);
        TensorAssert.assertClose("backward without grid gradients", f.backward(lambda, upstream.dup('f'), true, g)
                .lambda(), grad, 1e-15, 1e-13);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void floatKernelsAgreeWithDoubleKernels(long[] shape, int[] axes, int[] lambdaSizes, int[] gridSizes,
                                            Quadrature quadrature) {
        WeightFunction f = function(shape, axes, lambdaSizes, quadrature);
        Grid1D[] g = grids(gridSizes);
        INDArray lambda64 = lambdaView(f, DataType.DOUBLE, 7);
        INDArray lambda32 = lambda64.castTo(DataType.FLOAT);
        INDArray w64 = f.sample(lambda64, g);
        INDArray w32 = Nd4j.createUninitialized(DataType.FLOAT, f.sampledShape(g), 'c');
        f.sampleInto(lambda32, w32, g);
        TensorAssert.assertClose("float sample", w64, w32.castTo(DataType.DOUBLE), 1e-6, 1e-5);
        INDArray up64 = Nd4j.rand(DataType.DOUBLE, f.sampledShape(g)).subi(0.5);
        INDArray d64 = f.backward(lambda64, up64, false, g).lambda();
        INDArray d32 = Nd4j.createUninitialized(DataType.FLOAT, f.lambdaShape(), 'c');
        f.lambdaGradientInto(lambda32, up64.castTo(DataType.FLOAT), d32, g);
        TensorAssert.assertClose("float gradient", d64, d32.castTo(DataType.DOUBLE), 1e-6, 1e-5);
    }

    @Test
    void widthsChangingEveryStepReuseOneBuffer() {
        // A (64, 32, 3, 3) convolution weight sampled at several drawn widths into one full-size buffer.
        WeightFunction f = WeightFunction.builder(64, 32, 3, 3).continuousAxes(0, 1)
                .quadrature(TrapezoidalQuadrature.INSTANCE, 1).build();
        INDArray lambda = lambdaView(f, DataType.FLOAT, 9);
        INDArray buffer = Nd4j.createUninitialized(DataType.FLOAT, 64 * 32 * 9);
        int[][] widths = {{64, 32}, {40, 17}, {63, 30}, {32, 16}, {64, 32}};
        for (int[] w : widths) {
            Grid1D[] g = {Grid1D.uniform(w[0]), Grid1D.uniform(w[1])};
            INDArray view = prefixView(buffer, f.sampledShape(g));
            assertTrue(Shape.hasDefaultStridesForShape(view));
            f.sampleInto(lambda, view, g);
            INDArray expected = f.sample(lambda.dup('f'), g);
            assertArrayEquals(expected.shape(), view.shape());
            TensorAssert.assertClose("width " + w[0] + "x" + w[1], expected, view, 1e-6, 1e-5);
        }
    }
}
