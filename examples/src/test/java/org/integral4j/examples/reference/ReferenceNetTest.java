package org.integral4j.examples.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** TorchIntegral's MNIST network: shapes, groups, exact conversion and resampling of all three convolutions. */
class ReferenceNetTest {

    @Test
    void convertsExactlyAndResamplesAllThreeConvolutions() {
        MultiLayerNetwork net = ReferenceNet.discrete(5);
        assertEquals(16 * 9 + 16 + 32 * 16 * 25 + 32 + 64 * 32 * 25 + 64 + 64 * 10 + 10, net.numParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28).muli(2).subi(1);
        INDArray expected = net.output(x);
        IntegralModel inn = IntegralWrapper.builder().seed(1).build().wrapModel(net);
        assertEquals(3, inn.groupNames().size(), inn.groupNames().toString());
        INDArray actual = inn.multiLayerNetwork().output(x);
        assertTrue(expected.sub(actual).amaxNumber().doubleValue() < 1e-5, "conversion reproduces the network");
        inn.resize(0.3);
        assertEquals(java.util.List.of(5, 10, 19), java.util.List.copyOf(inn.sizes().values()));
        INDArray small = inn.multiLayerNetwork().output(x);
        assertEquals(10, small.size(1));
        assertEquals(4.0, small.sum(1).sumNumber().doubleValue(), 1e-4, "still a probability per image");
    }

    @Test
    void sharedRatioDrawsOneRatioForAllGroups() {
        IntegralModel inn = IntegralWrapper.builder().seed(1).build().wrapModel(ReferenceNet.discrete(5));
        SharedRatioSizes sizes = new SharedRatioSizes(inn.groups(), 0.25, 3);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int step = 0; step < 50; step++) {
            int a = inn.groups().get(inn.groupNames().get(0)).size(true);
            int b = inn.groups().get(inn.groupNames().get(1)).size(true);
            int c = inn.groups().get(inn.groupNames().get(2)).size(true);
            // 16, 32, 64 channels at one ratio r: sizes round(16r), round(32r), round(64r)
            double r = c / 64.0;
            assertTrue(Math.abs(b - 32 * r) <= 1.01 && Math.abs(a - 16 * r) <= 1.01, a + " " + b + " " + c);
            assertTrue(c >= 16 && c <= 64, "c in [0.25 * 64, 64]: " + c);
            seen.add(c);
            sizes.iterationDone(inn.network(), step, 0);
        }
        assertTrue(seen.size() > 10, "ratios vary: " + seen);
        assertEquals(64, inn.size(inn.groupNames().get(2)), "evaluation size unchanged");
    }
}
