package org.integral4j.convert.calibration;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small double-precision networks with random weights for the calibration tests. */
final class CalibrationNets {

    private CalibrationNets() {
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER);
    }

    /** conv(BN folded)-relu-pool-conv-relu-BN(integral)-pool-dense-output on 10x10x2. */
    static MultiLayerNetwork sequential() {
        MultiLayerConfiguration conf = base(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(10).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeBatchNorms(net.paramTable());
        return net;
    }

    /** stem, residual block (two convolutions), branch-and-concat, global pooling, output, on 8x8x3. */
    static ComputationGraph graph() {
        ComputationGraphConfiguration.GraphBuilder g = base(5).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3));
        conv(g, "stem", 8, 3, "in");
        g.addLayer("stem_bn", new BatchNormalization.Builder().build(), "stem");
        g.addLayer("stem_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "stem_bn");
        conv(g, "c0", 6, 3, "stem_relu");
        g.addLayer("c0_bn", new BatchNormalization.Builder().build(), "c0");
        g.addLayer("c0_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "c0_bn");
        conv(g, "c1", 8, 3, "c0_relu");
        g.addLayer("c1_bn", new BatchNormalization.Builder().build(), "c1");
        g.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c1_bn", "stem_relu");
        g.addLayer("add_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add");
        g.addLayer("brA", new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.RELU).build(), "add_relu");
        g.addLayer("brB", new ConvolutionLayer.Builder(3, 3).nOut(5).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build(), "add_relu");
        g.addVertex("cat", new MergeVertex(), "brA", "brB");
        g.addLayer("mix", new ConvolutionLayer.Builder(3, 3).nOut(7).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.TANH).build(), "cat");
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "mix");
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build(), "gap");
        g.setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        randomizeBatchNorms(graph.paramTable());
        return graph;
    }

    private static void conv(ComputationGraphConfiguration.GraphBuilder g, String name, int out, int k, String in) {
        g.addLayer(name, new ConvolutionLayer.Builder(k, k).nOut(out).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), in);
    }

    /** Dense 3 -> 8 -> 8 -> 2 with identity activations: exact reconstruction is possible at width >= 3. */
    static MultiLayerNetwork linear() {
        MultiLayerConfiguration conf = base(9).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static void randomizeBatchNorms(java.util.Map<String, INDArray> params) {
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(17);
        params.forEach((k, v) -> {
            if (k.endsWith("_gamma")) {
                v.assign(Nd4j.rand(rng, v.shape()).addi(0.5));
            } else if (k.endsWith("_beta") || k.endsWith("_mean")) {
                v.assign(Nd4j.rand(rng, v.shape()).subi(0.5));
            } else if (k.endsWith("_log10stdev")) {
                v.assign(Nd4j.rand(rng, v.shape()).subi(0.5).muli(0.4));
            }
        });
    }

    static INDArray inputs(long seed, long... shape) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), shape).castTo(DataType.DOUBLE);
    }
}
