package org.integral4j.convert;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks of every topology the converter supports, built in code with random weights. */
final class Topologies {

    private Topologies() {
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER);
    }

    /** conv-BN(folded)-relu-pool-conv-relu-BN(integral)-global pool-dense-dropout-output. */
    static MultiLayerNetwork sequential() {
        MultiLayerConfiguration conf = base(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(8).padding(1, 1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(7).activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().name("bn2").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(9).activation(Activation.RELU).build())
                .layer(new DropoutLayer.Builder(0.8).name("drop").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeBatchNorms(net.paramTable());
        return net;
    }

    /** Gives every batch norm non-trivial statistics, scale and shift (as if trained). */
    static void randomizeBatchNorms(java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> params) {
        org.nd4j.linalg.api.rng.Random rng = org.nd4j.linalg.factory.Nd4j.getRandomFactory().getNewRandomInstance(17);
        params.forEach((k, v) -> {
            if (k.endsWith("_gamma")) {
                v.assign(org.nd4j.linalg.factory.Nd4j.rand(rng, v.shape()).addi(0.5));
            } else if (k.endsWith("_beta") || k.endsWith("_mean")) {
                v.assign(org.nd4j.linalg.factory.Nd4j.rand(rng, v.shape()).subi(0.5));
            } else if (k.endsWith("_log10stdev")) {
                v.assign(org.nd4j.linalg.factory.Nd4j.rand(rng, v.shape()).subi(0.5).muli(0.4));
            }
        });
    }

    /** conv-pool-flatten(NCHW)-dense-output, a 1-D conv chain is separate. */
    static MultiLayerNetwork flatten() {
        MultiLayerConfiguration conf = base(2).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(9, 9, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** conv - depthwise (multiplier 1, Same) - conv - global pool - output. */
    static MultiLayerNetwork depthwise() {
        MultiLayerConfiguration conf = base(3).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(1).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(5).stride(2, 2).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Two 1-D convolutions, global pooling, output. */
    static MultiLayerNetwork conv1d() {
        MultiLayerConfiguration conf = base(4).list()
                .layer(new Convolution1DLayer.Builder(3).nOut(6).activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(3).nOut(5).stride(2).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3, 12)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A small ResNet: stem, an identity residual block, a projection block with stride 2, a
     * branch-and-concat block, global pooling, dense head.
     */
    static ComputationGraph resnet() {
        ComputationGraphConfiguration.GraphBuilder g = base(5).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(12, 12, 3));
        conv(g, "stem", 8, 3, 1, "in");
        bn(g, "stem_bn", "stem");
        relu(g, "stem_relu", "stem_bn");
        // identity block
        conv(g, "b1c1", 8, 3, 1, "stem_relu");
        bn(g, "b1bn1", "b1c1");
        relu(g, "b1r1", "b1bn1");
        conv(g, "b1c2", 8, 3, 1, "b1r1");
        bn(g, "b1bn2", "b1c2");
        g.addVertex("b1add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1bn2", "stem_relu");
        relu(g, "b1out", "b1add");
        // projection block
        conv(g, "b2c1", 12, 3, 2, "b1out");
        bn(g, "b2bn1", "b2c1");
        relu(g, "b2r1", "b2bn1");
        conv(g, "b2c2", 12, 3, 1, "b2r1");
        bn(g, "b2bn2", "b2c2");
        conv(g, "b2proj", 12, 1, 2, "b1out");
        bn(g, "b2projbn", "b2proj");
        g.addVertex("b2add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2bn2", "b2projbn");
        relu(g, "b2out", "b2add");
        // branch-and-concat block
        g.addLayer("brA", new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.RELU).build(), "b2out");
        g.addLayer("brB", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build(), "b2out");
        g.addVertex("cat", new MergeVertex(), "brA", "brB");
        g.addLayer("mix", new ConvolutionLayer.Builder(3, 3).nOut(7).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.TANH).build(), "cat");
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "mix");
        g.addLayer("fc", new DenseLayer.Builder().nOut(9).activation(Activation.RELU).build(), "gap");
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build(), "fc");
        g.setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        randomizeBatchNorms(graph.paramTable());
        return graph;
    }

    /**
     * A residual block of a single convolution, {@code x + conv(x)}: the convolution's input and
     * output channels are one group, so a permutation must move both of its channel axes.
     */
    static ComputationGraph singleConvResidual() {
        ComputationGraphConfiguration.GraphBuilder g = base(7).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 2));
        g.addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.TANH).build(), "in");
        g.addLayer("loop", new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.TANH).build(), "stem");
        g.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "loop");
        g.addLayer("loop2", new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.TANH).build(), "add");
        g.addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "add", "loop2");
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add2");
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build(), "gap");
        g.setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /**
     * What DL4J's Keras import makes of a channels-last model: NHWC convolution, batch norm and
     * pooling, and a flatten in a {@code PreprocessorVertex} (rows interleaved: channel c owns rows
     * c, c + C, ...).
     */
    static ComputationGraph kerasLikeChannelsLast() {
        org.deeplearning4j.nn.conf.CNN2DFormat nhwc = org.deeplearning4j.nn.conf.CNN2DFormat.NHWC;
        ComputationGraphConfiguration.GraphBuilder g = base(6).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(8, 8, 2, nhwc));
        g.addLayer("conv2d", new ConvolutionLayer.Builder(3, 3).nOut(6).dataFormat(nhwc).hasBias(false)
                .activation(Activation.IDENTITY).build(), "input");
        g.addLayer("batch_normalization", new BatchNormalization.Builder().dataFormat(nhwc).build(), "conv2d");
        g.addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "batch_normalization");
        g.addLayer("max_pooling2d", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                .stride(2, 2).dataFormat(nhwc).build(), "relu");
        g.addLayer("conv2d_1", new ConvolutionLayer.Builder(2, 2).nOut(5).dataFormat(nhwc)
                .activation(Activation.TANH).build(), "max_pooling2d");
        g.addVertex("flatten", new org.deeplearning4j.nn.conf.graph.PreprocessorVertex(
                new org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor(2, 2, 5, nhwc)), "conv2d_1");
        g.addLayer("dense", new DenseLayer.Builder().nIn(20).nOut(7).activation(Activation.RELU).build(), "flatten");
        g.addLayer("dense_1", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build(), "dense");
        g.setOutputs("dense_1");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        randomizeBatchNorms(graph.paramTable());
        return graph;
    }

    private static void conv(ComputationGraphConfiguration.GraphBuilder g, String name, int out, int k, int stride,
                             String input) {
        g.addLayer(name, new ConvolutionLayer.Builder(k, k).nOut(out).stride(stride, stride).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), input);
    }

    private static void bn(ComputationGraphConfiguration.GraphBuilder g, String name, String input) {
        g.addLayer(name, new BatchNormalization.Builder().build(), input);
    }

    private static void relu(ComputationGraphConfiguration.GraphBuilder g, String name, String input) {
        g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
    }
}
