package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Random-partition training with the reusable full-width buffers: sampled weights and weight
 * gradients are written into buffers sized for the full width and viewed at the drawn width. The
 * widths change from one check to the next (smaller, larger, full, smaller again), so every check
 * after the first reads views of buffers that held another shape before; each one is a
 * double-precision central-difference check of the whole network at the drawn widths.
 */
class RandomWidthGradientTest extends DoublePrecisionTest {

    private static MultiLayerNetwork cnn(Activation hidden) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).padding(1).nOut(8).outGroup("c1")
                        .activation(Activation.TANH).build())
                .layer(new IntegralBatchNormalization.Builder().group("c1").build())
                .layer(new IntegralConvolution2D.Builder().kernelSize(2, 2).nOut(6).inGroup("c1").outGroup("c2")
                        .activation(hidden).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new IntegralDense.Builder().nOut(7).inGroup("c2").outGroup("f1").activation(hidden)
                        .build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("f1").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(6, 6, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void gradientsAtChangingDrawnWidthsReusingFullWidthBuffers() {
        checkAtChangingWidths(cnn(Activation.SIGMOID));
    }

    /** ReLU layers take the in-place {@code eps * step(z)} backward path of the integral layers. */
    @Test
    void reluLayersAtChangingDrawnWidths() {
        checkAtChangingWidths(cnn(Activation.RELU));
    }

    private static void checkAtChangingWidths(MultiLayerNetwork net) {
        ChannelGroups groups = IntegralNetworks.bindNew(net, 3);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 6, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        // sizes of c1, c2, f1 per check: reduced, larger, full, smallest
        int[][] widths = {{5, 4, 5}, {7, 5, 6}, {8, 6, 7}, {4, 3, 4}};
        List<INDArray> outputs = new ArrayList<>();
        for (int[] w : widths) {
            groups.get("c1").setDistribution(org.integral4j.grid.SizeDistribution.fixed(w[0]));
            groups.get("c2").setDistribution(org.integral4j.grid.SizeDistribution.fixed(w[1]));
            groups.get("f1").setDistribution(org.integral4j.grid.SizeDistribution.fixed(w[2]));
            groups.drawTrainingSizes();
            assertEquals(w[0], groups.get("c1").size(true));
            // The running statistics are not trained by gradients (their "gradient" is an update, as in DL4J).
            GradientChecks.assertGradients("drawn widths " + java.util.Arrays.toString(w), net, x, y,
                    Set.of("1_mean", "1_log10stdev"));
            outputs.add(net.feedForward(x, true).get(1).dup());
        }
        assertEquals(8, outputs.get(2).size(1), "the full-width step ran at full width");
        assertEquals(4, outputs.get(3).size(1), "and the next one at the drawn width");
        // Evaluation is unaffected by the drawn training widths.
        groups.clearTrainingSizes();
        INDArray eval = net.output(x);
        groups.drawTrainingSizes();
        TensorAssert.assertClose("eval at full size", eval, net.output(x), 0, 0);
        assertTrue(eval.sumNumber().doubleValue() > 0);
    }
}
