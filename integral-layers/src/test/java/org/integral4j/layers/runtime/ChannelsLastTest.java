package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.conf.IntegralFlattenPreProcessor;
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
 * Channels-last (NHWC) activations, as DL4J's Keras import of TensorFlow models produces them:
 * integral convolution, batch norm, DL4J pooling and an integral dense head with an NHWC flatten,
 * checked by gradient checks at full and reduced size and against an NCHW twin with the same
 * parameters.
 */
class ChannelsLastTest extends DoublePrecisionTest {

    private static final int HEIGHT = 6;
    private static final int WIDTH = 5;
    private static final int CHANNELS = 2;
    private static final Set<String> RUNNING = Set.of("1_mean", "1_log10stdev");

    /**
     * conv(3x3, pad 1) -> BN -> tanh -> avg pool 2x2/2 -> conv(3x3, Same, stride 1) -> dense -> loss,
     * in the given format.
     */
    private static MultiLayerConfiguration conf(CNN2DFormat format) {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).padding(1).nOut(4).outGroup("c1")
                        .dataFormat(format).activation(Activation.IDENTITY).build())
                .layer(new IntegralBatchNormalization.Builder().group("c1").initial(1.2, 0.1).dataFormat(format)
                        .build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).dataFormat(format)
                        .build())
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(3).inGroup("c1").outGroup("c2")
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).dataFormat(format)
                        .activation(Activation.SIGMOID).build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("c2").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(HEIGHT, WIDTH, CHANNELS, format)).build();
    }

    private static MultiLayerNetwork net(CNN2DFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(format));
        net.init();
        return net;
    }

    /** NCHW input and one-hot labels. */
    private static INDArray[] data(int n) {
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, CHANNELS, HEIGHT, WIDTH).subi(0.4).muli(2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new INDArray[] {x, y};
    }

    private static INDArray toNhwc(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c');
    }

    /**
     * Copies the NHWC network's parameters into the NCHW twin. Convolution and batch-norm
     * parameters have the same layout in both; the dense weight's knots are {@code (out, h*w, C*)}
     * after an NHWC flatten and {@code (out, C*, h*w)} after an NCHW one.
     */
    private static void copyParameters(MultiLayerNetwork nhwc, MultiLayerNetwork nchw, String denseWeight) {
        for (Map.Entry<String, INDArray> e : nhwc.paramTable().entrySet()) {
            INDArray value = e.getKey().equals(denseWeight) ? e.getValue().permute(0, 2, 1).dup('c') : e.getValue();
            nchw.setParam(e.getKey(), value);
        }
    }

    /**
     * Asserts that the NHWC network and its NCHW twin agree on permuted input: outputs in
     * inference and training mode, every activation, the score and every gradient.
     */
    private static void assertTwinsAgree(String what, MultiLayerNetwork nhwc, MultiLayerNetwork nchw, INDArray xNchw,
                                         INDArray y, String denseWeight) {
        INDArray x = toNhwc(xNchw);
        TensorAssert.assertClose(what + ": inference output", nchw.output(xNchw), nhwc.output(x), 1e-12, 1e-10);
        TensorAssert.assertClose(what + ": training output", nchw.output(xNchw, true), nhwc.output(x, true), 1e-12,
                1e-10);
        java.util.List<INDArray> actsC = nchw.feedForward(xNchw, true);
        java.util.List<INDArray> actsH = nhwc.feedForward(x, true);
        for (int i = 1; i < actsC.size(); i++) {
            INDArray expected = actsC.get(i).rank() == 4 ? toNhwc(actsC.get(i)) : actsC.get(i);
            TensorAssert.assertClose(what + ": activation " + i, expected, actsH.get(i), 1e-12, 1e-10);
        }
        nhwc.setInput(x);
        nhwc.setLabels(y);
        nhwc.computeGradientAndScore();
        nchw.setInput(xNchw);
        nchw.setLabels(y);
        nchw.computeGradientAndScore();
        assertEquals(nchw.score(), nhwc.score(), 1e-12, what + ": score");
        Map<String, INDArray> gradH = nhwc.gradient().gradientForVariable();
        Map<String, INDArray> gradC = nchw.gradient().gradientForVariable();
        assertEquals(gradC.keySet(), gradH.keySet());
        for (String key : gradH.keySet()) {
            INDArray expected = key.equals(denseWeight) ? gradC.get(key).permute(0, 2, 1) : gradC.get(key);
            TensorAssert.assertClose(what + ": gradient " + key, expected, gradH.get(key), 1e-12, 1e-9);
        }
    }

    @Test
    void configurationUsesTheFormatThroughout() {
        MultiLayerConfiguration conf = conf(CNN2DFormat.NHWC);
        assertEquals(CNN2DFormat.NHWC, ((IntegralConvolution2D) conf.getConf(0).getLayer()).getCnn2dFormat());
        assertEquals(CNN2DFormat.NHWC, ((IntegralBatchNormalization) conf.getConf(1).getLayer()).getCnn2dFormat());
        assertEquals(4, ((IntegralBatchNormalization) conf.getConf(1).getLayer()).getNIn());
        assertEquals(4, ((IntegralConvolution2D) conf.getConf(4).getLayer()).getNIn());
        assertEquals(new IntegralFlattenPreProcessor(3, 2, CNN2DFormat.NHWC), conf.getInputPreProcess(5));
        IntegralDense dense = (IntegralDense) conf.getConf(5).getLayer();
        assertTrue(dense.isChannelsLast(), "the dense layer reads an NHWC flatten");
        assertEquals(6, dense.getInBlockSize());

        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        assertEquals(CNN2DFormat.NHWC, ((IntegralConvolution2D) back.getConf(4).getLayer()).getCnn2dFormat());
        assertEquals(CNN2DFormat.NHWC, ((IntegralBatchNormalization) back.getConf(1).getLayer()).getCnn2dFormat());
        assertTrue(!conf.equals(conf(CNN2DFormat.NCHW)), "the format is part of the configuration's equality");
    }

    @Test
    void gradientsAtFullAndReducedSize() {
        MultiLayerNetwork net = net(CNN2DFormat.NHWC);
        INDArray[] d = data(3);
        INDArray x = toNhwc(d[0]);
        ChannelGroups g = IntegralNetworks.bindNew(net, 4);
        assertArrayEquals(new long[] {3, HEIGHT, WIDTH, 4}, net.feedForward(x, false).get(1).shape());
        GradientChecks.assertGradients("NHWC full size", net, x, d[1], RUNNING);
        g.get("c1").resize(3);
        g.get("c2").resize(2);
        assertArrayEquals(new long[] {3, 3, 2, 2}, net.feedForward(x, false).get(5).shape());
        GradientChecks.assertGradients("NHWC reduced", net, x, d[1], RUNNING);
    }

    @Test
    void matchesChannelsFirstTwinWithTheSameParameters() {
        MultiLayerNetwork nhwc = net(CNN2DFormat.NHWC);
        MultiLayerNetwork nchw = net(CNN2DFormat.NCHW);
        Nd4j.getRandom().setSeed(23);
        // Non-default running statistics, so that inference normalises differently from training.
        nhwc.setParam("1_mean", Nd4j.rand(DataType.DOUBLE, nhwc.getParam("1_mean").shape()).subi(0.5));
        nhwc.setParam("1_log10stdev", Nd4j.rand(DataType.DOUBLE, nhwc.getParam("1_log10stdev").shape()).subi(0.5)
                .muli(0.4));
        copyParameters(nhwc, nchw, "5_W");
        ChannelGroups gh = IntegralNetworks.bindNew(nhwc, 4);
        ChannelGroups gc = IntegralNetworks.bindNew(nchw, 4);
        INDArray[] d = data(4);
        for (int[] sizes : new int[][] {{4, 3}, {3, 2}}) {
            for (ChannelGroups g : new ChannelGroups[] {gh, gc}) {
                g.get("c1").resize(sizes[0]);
                g.get("c2").resize(sizes[1]);
            }
            assertTwinsAgree("c1 = " + sizes[0] + ", c2 = " + sizes[1], nhwc, nchw, d[0], d[1], "5_W");
        }
    }

    /**
     * Depthwise and grouped integral convolutions slice channels on the last axis in NHWC (their
     * partitioned groups resize in multiples of the convolution groups).
     */
    @Test
    void depthwiseAndGroupedMatchChannelsFirstTwin() {
        MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
        CNN2DFormat[] formats = {CNN2DFormat.NHWC, CNN2DFormat.NCHW};
        for (int i = 0; i < 2; i++) {
            CNN2DFormat f = formats[i];
            nets[i] = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).list()
                    .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).padding(1).nOut(8).outGroup("c1")
                            .dataFormat(f).activation(Activation.TANH).build())
                    .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).stride(2).nOut(8).groups(8)
                            .inGroup("c1").outGroup("c1").convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                            .dataFormat(f).activation(Activation.TANH).build())
                    .layer(new IntegralConvolution2D.Builder().kernelSize(2, 2).nOut(6).groups(2).inGroup("c1")
                            .outGroup("c2").dataFormat(f).activation(Activation.SIGMOID).build())
                    .layer(new IntegralDense.Builder().nOut(3).inGroup("c2").activation(Activation.SOFTMAX).build())
                    .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY)
                            .build())
                    .setInputType(InputType.convolutional(HEIGHT, WIDTH, CHANNELS, f)).build());
            nets[i].init();
        }
        copyParameters(nets[0], nets[1], "3_W");
        ChannelGroups gh = IntegralNetworks.bindNew(nets[0], 4);
        ChannelGroups gc = IntegralNetworks.bindNew(nets[1], 4);
        INDArray[] d = data(3);
        assertTwinsAgree("depthwise/grouped full size", nets[0], nets[1], d[0], d[1], "3_W");
        for (ChannelGroups g : new ChannelGroups[] {gh, gc}) {
            g.get("c1").resize(4);
            g.get("c2").resize(4);
        }
        // Gradients equal the NCHW twin's, which IntegralConvolutionLayerTest checks against central differences.
        assertTwinsAgree("depthwise/grouped reduced", nets[0], nets[1], d[0], d[1], "3_W");
    }

    @Test
    void rejectsAMismatchedFormat() {
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class, () ->
                new NeuralNetConfiguration.Builder().list()
                        .layer(new IntegralConvolution2D.Builder().name("conv0").kernelSize(3, 3).nOut(4)
                                .dataFormat(CNN2DFormat.NHWC).build())
                        .layer(new LossLayer.Builder().build())
                        .setInputType(InputType.convolutional(8, 8, 1)).build());
        assertTrue(conv.getMessage().contains("layer 'conv0' (IntegralConvolution2D)")
                && conv.getMessage().contains("dataFormat(CNN2DFormat.NCHW)"), conv.getMessage());

        IllegalArgumentException bn = assertThrows(IllegalArgumentException.class, () ->
                new NeuralNetConfiguration.Builder().list()
                        .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                                .build())
                        .layer(new IntegralBatchNormalization.Builder().name("bn").build())
                        .layer(new LossLayer.Builder().build())
                        .setInputType(InputType.convolutional(8, 8, 1, CNN2DFormat.NHWC)).build());
        assertTrue(bn.getMessage().contains("layer 'bn' (IntegralBatchNormalization)")
                && bn.getMessage().contains("dataFormat(CNN2DFormat.NHWC)"), bn.getMessage());

        // Feed-forward input: the format of a batch norm does not matter.
        new NeuralNetConfiguration.Builder().list()
                .layer(new IntegralBatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build())
                .layer(new LossLayer.Builder().build())
                .setInputType(InputType.feedForward(5)).build();

        // An NCHW array fed to the NHWC network is caught by the channel check of the first layer.
        MultiLayerNetwork net = net(CNN2DFormat.NHWC);
        Exception wrongLayout = assertThrows(Exception.class, () -> net.output(data(2)[0]));
        assertTrue(wrongLayout.getMessage().contains("channels on axis 3"), wrongLayout.getMessage());
    }
}
