package org.integral4j.layers.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ConvOpsTest {

    static Stream<Arguments> geometries() {
        ConvGeometry.Mode t = ConvGeometry.Mode.TRUNCATE;
        ConvGeometry.Mode s = ConvGeometry.Mode.SAME;
        return Stream.of(
                // in, out, groups, kernel, stride, padding, dilation, mode, bias
                Arguments.of(3, 4, 1, 3, 1, 1, 1, t, true),
                Arguments.of(3, 4, 1, 3, 2, 0, 1, t, true),
                Arguments.of(2, 3, 1, 3, 1, 0, 2, t, false),
                Arguments.of(3, 2, 1, 3, 2, 0, 1, s, true),
                Arguments.of(2, 2, 1, 2, 1, 0, 2, s, true),
                Arguments.of(4, 6, 2, 3, 1, 1, 1, t, true),
                Arguments.of(4, 4, 4, 3, 1, 1, 1, t, true),
                Arguments.of(3, 6, 3, 3, 2, 0, 1, s, true));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardMatchesCentralDifferences(int in, int out, int groups, int k, int stride, int pad, int dil,
                                           ConvGeometry.Mode mode, boolean bias) {
        Nd4j.getRandom().setSeed(12);
        ConvGeometry geo = new ConvGeometry(new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {dil, dil}, mode);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, in, 6, 5).subi(0.5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, out, in / groups, k, k).subi(0.5);
        INDArray b = bias ? Nd4j.rand(DataType.DOUBLE, out) : null;
        INDArray z = ConvOps.forward(x, w, b, geo, groups);
        INDArray g = Nd4j.rand(DataType.DOUBLE, z.shape()).subi(0.5);
        LayerGradients grads = ConvOps.backward(x, w, b, g, geo, groups);
        String what = geo + " groups " + groups;
        OpGradientCheck.check(what + " dW", w, grads.weight(), g, () -> ConvOps.forward(x, w, b, geo, groups));
        OpGradientCheck.check(what + " dx", x, grads.input(), g, () -> ConvOps.forward(x, w, b, geo, groups));
        if (bias) {
            OpGradientCheck.check(what + " db", b, grads.bias(), g, () -> ConvOps.forward(x, w, b, geo, groups));
        }
    }

    private static final ConvGeometry.DataFormat NHWC = ConvGeometry.DataFormat.NHWC;

    private static INDArray toNhwc(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c');
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void channelsLastEqualsChannelsFirstOnPermutedInput(int in, int out, int groups, int k, int stride, int pad,
                                                        int dil, ConvGeometry.Mode mode, boolean bias) {
        Nd4j.getRandom().setSeed(13);
        ConvGeometry geo = new ConvGeometry(new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {dil, dil}, mode);
        ConvGeometry nhwc = geo.withDataFormat(NHWC);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, in, 6, 5).subi(0.5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, out, in / groups, k, k).subi(0.5);
        INDArray b = bias ? Nd4j.rand(DataType.DOUBLE, out) : null;
        INDArray z = ConvOps.forward(x, w, b, geo, groups);
        INDArray zh = ConvOps.forward(toNhwc(x), w, b, nhwc, groups);
        String what = nhwc + " groups " + groups;
        assertArrayEquals(ConvOps.outputShape(toNhwc(x), w, nhwc, groups), zh.shape());
        TensorAssert.assertClose(what + " z", toNhwc(z), zh, 1e-12, 0);
        // A permuted view as input gives the same result.
        TensorAssert.assertClose(what + " z from a view", toNhwc(z),
                ConvOps.forward(x.permute(0, 2, 3, 1), w, b, nhwc, groups), 1e-12, 0);

        INDArray g = Nd4j.rand(DataType.DOUBLE, z.shape()).subi(0.5);
        LayerGradients grads = ConvOps.backward(x, w, b, g, geo, groups);
        LayerGradients gradsH = ConvOps.backward(toNhwc(x), w, b, toNhwc(g), nhwc, groups);
        TensorAssert.assertClose(what + " dW", grads.weight(), gradsH.weight(), 1e-12, 0);
        TensorAssert.assertClose(what + " dx", toNhwc(grads.input()), gradsH.input(), 1e-12, 0);
        if (bias) {
            TensorAssert.assertClose(what + " db", grads.bias(), gradsH.bias(), 1e-12, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void channelsLastBackwardMatchesCentralDifferences(int in, int out, int groups, int k, int stride, int pad,
                                                       int dil, ConvGeometry.Mode mode, boolean bias) {
        Nd4j.getRandom().setSeed(14);
        ConvGeometry geo = new ConvGeometry(new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {dil, dil}, mode, NHWC);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 6, 5, in).subi(0.5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, out, in / groups, k, k).subi(0.5);
        INDArray b = bias ? Nd4j.rand(DataType.DOUBLE, out) : null;
        INDArray z = ConvOps.forward(x, w, b, geo, groups);
        assertEquals(out, z.size(3));
        INDArray g = Nd4j.rand(DataType.DOUBLE, z.shape()).subi(0.5);
        LayerGradients grads = ConvOps.backward(x, w, b, g, geo, groups);
        String what = geo + " groups " + groups;
        OpGradientCheck.check(what + " dW", w, grads.weight(), g, () -> ConvOps.forward(x, w, b, geo, groups));
        OpGradientCheck.check(what + " dx", x, grads.input(), g, () -> ConvOps.forward(x, w, b, geo, groups));
        if (bias) {
            OpGradientCheck.check(what + " db", b, grads.bias(), g, () -> ConvOps.forward(x, w, b, geo, groups));
        }
    }

    /**
     * In float, M2.1's oneDNN conv2d/conv2d_bp in NHWC ignore the strides of non-contiguous
     * activations; ConvOps must copy them (permuted input, channel-slice output, strided gradient).
     */
    @Test
    void channelsLastInFloatAcceptsViews() {
        Nd4j.getRandom().setSeed(15);
        ConvGeometry geo = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
                ConvGeometry.Mode.TRUNCATE);
        ConvGeometry nhwc = geo.withDataFormat(NHWC);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 7, 6).subi(0.5);
        for (int groups : new int[] {1, 2}) {
            INDArray w = Nd4j.rand(DataType.FLOAT, 6, 4 / groups, 3, 3).subi(0.5);
            INDArray b = Nd4j.rand(DataType.FLOAT, 6);
            INDArray z = ConvOps.forward(x, w, b, geo, groups);
            INDArray wide = Nd4j.zeros(DataType.FLOAT, 2, 7, 6, 8);
            INDArray slice = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(1, 7));
            ConvOps.forward(x.permute(0, 2, 3, 1), w, b, nhwc, groups, slice);
            String what = "float NHWC groups " + groups;
            TensorAssert.assertClose(what + " z into a view", toNhwc(z), slice.dup(), 1e-5, 1e-5);
            assertEquals(0.0, wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.point(0)).amaxNumber().doubleValue(), what + ": wrote outside the output view");

            INDArray g = Nd4j.rand(DataType.FLOAT, z.shape()).subi(0.5);
            LayerGradients grads = ConvOps.backward(x, w, b, g, geo, groups);
            INDArray dxWide = Nd4j.zeros(DataType.FLOAT, 2, 7, 6, 5);
            INDArray dxSlice = dxWide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(1, 5));
            LayerGradients gradsH = ConvOps.backward(x.permute(0, 2, 3, 1), w, b, g.permute(0, 2, 3, 1), nhwc, groups,
                    dxSlice);
            TensorAssert.assertClose(what + " dW", grads.weight(), gradsH.weight(), 1e-4, 1e-4);
            TensorAssert.assertClose(what + " db", grads.bias(), gradsH.bias(), 1e-4, 1e-4);
            TensorAssert.assertClose(what + " dx into a view", toNhwc(grads.input()), dxSlice.dup(), 1e-4, 1e-4);
        }
    }

    @Test
    void groupedEqualsSeparateConvolutions() {
        ConvGeometry geo = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
                ConvGeometry.Mode.TRUNCATE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 5, 5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 6, 2, 3, 3);
        INDArray z = ConvOps.forward(x, w, null, geo, 2);
        INDArray z0 = ConvOps.forward(x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup(),
                w.get(NDArrayIndex.interval(0, 3)).dup(), null, geo, 1);
        TensorAssert.assertClose("group 0", z0, z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup(), 1e-12, 0);
        assertArrayEquals(new long[] {2, 6, 5, 5}, z.shape());
    }

    @Test
    void channelsLastRejectsChannelsFirstInput() {
        ConvGeometry geo = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                ConvGeometry.Mode.TRUNCATE, NHWC);
        // (batch, C=4, H=6, W=6) given to an NHWC convolution that expects 4 channels on the last axis.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.forward(Nd4j.rand(DataType.FLOAT, 1, 4, 6, 6), Nd4j.rand(DataType.FLOAT, 5, 4, 3, 3),
                        null, geo, 1));
        assertTrue(e.getMessage().contains("has 6 channels (axis 3, NHWC)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvOps.backward(Nd4j.rand(DataType.FLOAT, 1, 6, 6, 4),
                Nd4j.rand(DataType.FLOAT, 5, 4, 3, 3), null, Nd4j.rand(DataType.FLOAT, 1, 5, 4, 4), geo, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, ConvGeometry.Mode.SAME, null));
    }

    @Test
    void rejectsMismatchedChannels() {
        ConvGeometry geo = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                ConvGeometry.Mode.TRUNCATE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.forward(Nd4j.rand(DataType.FLOAT, 1, 5, 6, 6), Nd4j.rand(DataType.FLOAT, 4, 4, 3, 3), null,
                        geo, 1));
        assertTrue(e.getMessage().contains("expects 4 input channels") && e.getMessage().contains("has 5 channels"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvOps.forward(Nd4j.rand(DataType.FLOAT, 1, 4, 6, 6),
                Nd4j.rand(DataType.FLOAT, 3, 2, 3, 3), null, geo, 2));
        assertThrows(IllegalArgumentException.class, () -> ConvOps.forward(Nd4j.rand(DataType.FLOAT, 1, 4, 2, 2),
                Nd4j.rand(DataType.FLOAT, 4, 4, 3, 3), null, geo, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(new int[] {0, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, ConvGeometry.Mode.SAME));
    }
}
