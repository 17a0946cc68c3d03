package org.integral4j.layers.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        INDArray[] grads = ConvOps.backward(x, w, b, g, geo, groups);
        String what = geo + " groups " + groups;
        OpGradientCheck.check(what + " dW", w, grads[0], g, () -> ConvOps.forward(x, w, b, geo, groups));
        OpGradientCheck.check(what + " dx", x, grads[2], g, () -> ConvOps.forward(x, w, b, geo, groups));
        if (bias) {
            OpGradientCheck.check(what + " db", b, grads[1], g, () -> ConvOps.forward(x, w, b, geo, groups));
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
