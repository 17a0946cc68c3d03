package org.integral4j.layers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The choice of {@code conv2d_bp} implementation, and that both give the same gradients. */
class ConvBackwardPathTest {

    private static final ConvGeometry SAME_3X3 = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1},
            new int[] {0, 0}, new int[] {1, 1}, ConvGeometry.Mode.SAME);

    @AfterEach
    void clearProperty() {
        System.clearProperty(ConvBackwardPath.PROPERTY);
    }

    @Test
    void onlyFloat3x3UnitStrideWithManyChannelsOnSmallMapsIsInTheRange() {
        assertTrue(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 256, 256, 4, 4, DataType.FLOAT));
        assertTrue(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 512, 224, 2, 2, DataType.FLOAT));
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 256, 256, 4, 4, DataType.DOUBLE), "double");
        assertTrue(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 130, 208, 4, 4, DataType.FLOAT));
        assertTrue(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 130, 140, 2, 2, DataType.FLOAT), "2x2 maps");
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 192, 200, 4, 4, DataType.FLOAT),
                "neither side reaches 208 on 4x4");
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 120, 256, 4, 4, DataType.FLOAT), "channels");
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 256, 120, 2, 2, DataType.FLOAT), "channels");
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 1, 256, 256, 8, 4, DataType.FLOAT), "map size");
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(SAME_3X3, 2, 256, 256, 4, 4, DataType.FLOAT), "groups");
        ConvGeometry strided = new ConvGeometry(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, ConvGeometry.Mode.TRUNCATE);
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(strided, 1, 256, 256, 2, 2, DataType.FLOAT), "stride");
        ConvGeometry fiveByFive = new ConvGeometry(new int[] {5, 5}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, ConvGeometry.Mode.SAME);
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(fiveByFive, 1, 256, 256, 4, 4, DataType.FLOAT), "kernel");
        ConvGeometry dilated = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {2, 2}, ConvGeometry.Mode.SAME);
        assertFalse(ConvBackwardPath.inSlowOneDnnRange(dilated, 1, 256, 256, 4, 4, DataType.FLOAT), "dilation");
    }

    @Test
    void thePropertyOverridesTheRule() {
        System.setProperty(ConvBackwardPath.PROPERTY, "onednn");
        assertTrue(ConvBackwardPath.allowOneDnn(SAME_3X3, 1, 512, 512, 2, 2, DataType.FLOAT));
        System.setProperty(ConvBackwardPath.PROPERTY, "generic");
        assertFalse(ConvBackwardPath.allowOneDnn(SAME_3X3, 1, 8, 8, 32, 32, DataType.FLOAT));
        System.setProperty(ConvBackwardPath.PROPERTY, "auto");
        assertTrue(ConvBackwardPath.allowOneDnn(SAME_3X3, 1, 8, 8, 32, 32, DataType.FLOAT), "outside the range");
        System.setProperty(ConvBackwardPath.PROPERTY, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvBackwardPath.allowOneDnn(SAME_3X3, 1, 8, 8, 32, 32, DataType.FLOAT));
        assertTrue(e.getMessage().contains("auto, onednn or generic"), e.getMessage());
    }

    @Test
    void bothImplementationsGiveTheSameGradients() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 224, 4, 4).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 232, 224, 3, 3).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 232);
        INDArray dz = Nd4j.rand(DataType.FLOAT, 2, 232, 4, 4).subi(0.5);
        System.setProperty(ConvBackwardPath.PROPERTY, "onednn");
        LayerGradients helper = ConvOps.backward(x, w, b, dz, SAME_3X3, 1, null);
        System.setProperty(ConvBackwardPath.PROPERTY, "generic");
        LayerGradients own = ConvOps.backward(x, w, b, dz, SAME_3X3, 1, null);
        assertEquals(0, relDiff(helper.weight(), own.weight()), 1e-5, "dW");
        assertEquals(0, relDiff(helper.bias(), own.bias()), 1e-5, "db");
        assertEquals(0, relDiff(helper.input(), own.input()), 1e-5, "dx");
    }

    private static double relDiff(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }
}
