package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralConvolution1D;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Gradient checks (double, central differences) of integral convolutions inside DL4J networks. */
class IntegralConvolutionLayerTest extends DoublePrecisionTest {


    static Stream<Arguments> geometries() {
        return Stream.of(
                // name, stride, dilation, padding, mode, groups of the second convolution
                Arguments.of("truncate", 1, 1, 1, ConvolutionMode.Truncate, 1),
                Arguments.of("stride 2", 2, 1, 0, ConvolutionMode.Truncate, 1),
                Arguments.of("dilation 2", 1, 2, 0, ConvolutionMode.Truncate, 1),
                Arguments.of("same", 2, 1, 0, ConvolutionMode.Same, 1),
                Arguments.of("grouped", 1, 1, 1, ConvolutionMode.Truncate, 2),
                Arguments.of("depthwise", 1, 1, 1, ConvolutionMode.Same, 4));
    }

    private static MultiLayerNetwork cnn(int stride, int dilation, int pad, ConvolutionMode mode, int groups) {
        boolean depthwise = groups == 4;
        int width = groups == 2 ? 8 : 4;
        IntegralConvolution2D.Builder second = new IntegralConvolution2D.Builder().kernelSize(3, 3).stride(stride)
                .dilation(dilation).padding(pad).convolutionMode(mode).groups(groups).inGroup("c1")
                .activation(Activation.SIGMOID);
        second = depthwise ? second.nOut(4).outGroup("c1") : second.nOut(width).outGroup("c2");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).stride(1).padding(1).nOut(width).outGroup("c1")
                        .activation(Activation.TANH).build())
                .layer(second.build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup(depthwise ? "c1" : "c2")
                        .activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(7, 6, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray[] data(long... shape) {
        Nd4j.getRandom().setSeed(21);
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, shape[0], 3);
        for (int i = 0; i < shape[0]; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new INDArray[] {x, y};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void gradientsAtFullAndReducedSize(String name, int stride, int dilation, int pad, ConvolutionMode mode, int groups) {
        MultiLayerNetwork net = cnn(stride, dilation, pad, mode, groups);
        INDArray[] d = data(2, 2, 7, 6);
        ChannelGroups g = IntegralNetworks.bindNew(net, 5);
        GradientChecks.assertGradients(name + ", full size", net, d[0], d[1], Set.of());
        INDArray fullOutput = net.output(d[0]);
        g.get("c1").resize(groups == 2 ? 4 : 3);
        if (g.contains("c2")) {
            g.get("c2").resize(groups == 2 ? 4 : 2);
        }
        if (groups == 2) {
            // A grouped convolution resizes in multiples of its groups: 8 -> 4 channels is 2 per group.
            assertThrows(IllegalArgumentException.class, () -> g.get("c1").resize(5));
        }
        assertTrue(TensorAssert.maxAbsDiff(fullOutput, net.output(d[0])) > 1e-6, "resizing changes the output");
        GradientChecks.assertGradients(name + ", reduced", net, d[0], d[1], Set.of());
    }

    @Test
    void groupedConvolutionUsesPartitionedGroups() {
        MultiLayerNetwork net = cnn(1, 1, 1, ConvolutionMode.Truncate, 2);
        ChannelGroups g = IntegralNetworks.bindNew(net, 5);
        assertTrue(g.get("c1") instanceof org.integral4j.layers.grid.PartitionedChannelGroup, g.toString());
    }

    @Test
    void oneDimensionalConvolution() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new IntegralConvolution1D.Builder().kernelSize(3).stride(2).padding(1).nOut(5).outGroup("t1")
                        .activation(Activation.TANH).build())
                .layer(new IntegralConvolution1D.Builder().kernelSize(2).dilation(2).nOut(4).inGroup("t1")
                        .outGroup("t2").convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("t2").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(2, 9)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray[] d = data(3, 2, 9);
        ChannelGroups g = IntegralNetworks.bindNew(net, 5);
        GradientChecks.assertGradients("conv1d full size", net, d[0], d[1], Set.of());
        g.get("t1").resize(3);
        g.get("t2").resize(2);
        GradientChecks.assertGradients("conv1d reduced", net, d[0], d[1], Set.of());
        assertArrayEquals(new long[] {3, 3, 5}, net.feedForward(d[0], false).get(1).shape());
    }
}
