package org.integral4j.examples.sr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Image operations, patches and the EDSR-style network of the super-resolution study. */
class SuperResolutionTest {

    private static LumaImage ramp(int h, int w) {
        float[] p = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                p[r * w + c] = (float) (0.2 + 0.5 * (r + 2 * c) / (h + 2 * w));
            }
        }
        return new LumaImage("ramp", h, w, p);
    }

    @Test
    void downscaleBicubicAndPsnr() {
        LumaImage img = ramp(20, 30);
        LumaImage small = img.downscale2();
        assertEquals(10, small.height());
        assertEquals(15, small.width());
        assertEquals((img.at(2, 4) + img.at(2, 5) + img.at(3, 4) + img.at(3, 5)) / 4, small.at(1, 2), 1e-6);
        LumaImage up = small.bicubic2();
        assertEquals(20, up.height());
        // a linear ramp is reproduced by cubic convolution away from the clamped border
        assertEquals(img.at(10, 14), up.at(10, 14), 1e-5);
        assertTrue(up.psnr(img, 2) > 60, "PSNR of a ramp after box-down and bicubic-up: " + up.psnr(img, 2));
        float[] noisy = img.pixels().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (i % 2 == 0 ? 0.01f : -0.01f);
        }
        assertEquals(40.0, new LumaImage("n", 20, 30, noisy).psnr(img, 0), 1e-3);
    }

    @Test
    void patchesAreBatchesOfLowAndHighResolution() {
        List<DataSet> b = SuperResolutionStudy.patches(List.of(ramp(60, 70), ramp(50, 50)), 40, new Random(1));
        assertEquals(3, b.size());
        assertEquals(List.of(16L, 1L, 24L, 24L), List.of(b.get(0).getFeatures().shape()[0], b.get(0).getFeatures().shape()[1],
                b.get(0).getFeatures().shape()[2], b.get(0).getFeatures().shape()[3]));
        assertEquals(8, b.get(2).getLabels().size(0));
        assertEquals(48, b.get(2).getLabels().size(3));
    }

    @Test
    void convertedNetworkReproducesTheSourceOnAnyImageSize() {
        ComputationGraph net = SuperResolutionStudy.network(8, 1, 3);
        IntegralModel inn = IntegralWrapper.builder().permute(false).build().wrapModel(net);
        for (int size : new int[] {24, 33}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, size, size);
            INDArray expected = net.outputSingle(false, x);
            INDArray actual = inn.computationGraph().outputSingle(false, x);
            assertEquals(2 * size, actual.size(3));
            assertTrue(expected.sub(actual).amaxNumber().doubleValue() < 1e-4 * (1 + expected.amaxNumber().doubleValue()),
                    "integral network at full size reproduces the source");
        }
        assertEquals(3, inn.groupNames().size(), "trunk, the block's inner convolution, the upsampling convolution: "
                + inn.groupNames());
    }
}
