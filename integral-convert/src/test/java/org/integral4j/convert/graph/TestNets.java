package org.integral4j.convert.graph;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;

/** Tiny networks built in code (random initialisation, fixed seeds) for the graph tests. */
final class TestNets {

    static final long SEED = 12345;

    private TestNets() {
    }

    static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(SEED).activation(Activation.RELU);
    }

    static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    static ConvolutionLayer conv(int k, int nOut) {
        return new ConvolutionLayer.Builder(k, k).nOut(nOut).convolutionMode(ConvolutionMode.Same).build();
    }

    static BatchNormalization bn() {
        return new BatchNormalization.Builder().build();
    }

    static OutputLayer softmax(int nOut) {
        return new OutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX).build();
    }

    static GlobalPoolingLayer gap() {
        return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
    }

    /** conv1(2→8) → bn1 → relu1 → pool1 → conv2(8→6) → gap → fc(6→5) → out(5→3), input 2×12×12. */
    static final InputType SEQ_INPUT = InputType.convolutional(12, 12, 2);

    static MultiLayerNetwork sequential() {
        return init(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).name("conv1").build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).name("relu1").build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).name("pool1").build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).name("conv2").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("gap").build())
                .layer(new DenseLayer.Builder().nOut(5).name("fc").build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(SEQ_INPUT).build());
    }

    /** The same network as a graph. */
    static ComputationGraph sequentialGraph() {
        return init(base().graphBuilder().addInputs("in")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "in")
                .addLayer("bn1", bn(), "conv1")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("pool1", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "relu1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(6).build(), "pool1")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "conv2")
                .addLayer("fc", new DenseLayer.Builder().nOut(5).build(), "gap")
                .addLayer("out", softmax(3), "fc")
                .setOutputs("out").setInputTypes(SEQ_INPUT).build());
    }

    /** conv(1→4, 3×3 valid) on 6×6 → flatten (NCHW, 4×4×4) → fc(64→5) → out(5→3). */
    static MultiLayerNetwork flattenNchw() {
        return init(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(5).name("fc").build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.convolutional(6, 6, 1)).build());
    }

    /** NHWC input 5×5×2 → c1(2→3) → c2(3→4) (same padding, NHWC) → flat vertex (NHWC) → fc(100→5) → out. */
    static final InputType NHWC_INPUT = InputType.convolutional(5, 5, 2, CNN2DFormat.NHWC);

    static ComputationGraph nhwcFlattenGraph() {
        return init(base().graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(CNN2DFormat.NHWC).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(CNN2DFormat.NHWC).activation(Activation.IDENTITY).build(), "c1")
                .addVertex("flat", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(5, 5, 4, CNN2DFormat.NHWC)),
                        "c2")
                .addLayer("fc", new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build(), "flat")
                .addLayer("out", softmax(3), "fc")
                .setOutputs("out").setInputTypes(NHWC_INPUT).build());
    }

    /**
     * A ResNet basic block on 3×8×8: stem(3→8) → bn0 → relu0 → [c1(8→w) → bn1 → relu1 → c2(w→w) →
     * bn2] + shortcut → relu → gap → out(→4). Identity shortcut (w = 8) or projection shortcut
     * proj(8→16, 1×1) → bnp (w = 16).
     */
    static ComputationGraph resnetBlock(boolean projection) {
        int w = projection ? 16 : 8;
        ComputationGraphConfiguration.GraphBuilder b = base().graphBuilder().addInputs("in")
                .addLayer("stem", conv(3, 8), "in")
                .addLayer("bn0", bn(), "stem")
                .addLayer("relu0", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn0")
                .addLayer("c1", conv(3, w), "relu0")
                .addLayer("bn1", bn(), "c1")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("c2", conv(3, w), "relu1")
                .addLayer("bn2", bn(), "c2");
        String shortcut = "relu0";
        if (projection) {
            b.addLayer("proj", conv(1, w), "relu0").addLayer("bnp", bn(), "proj");
            shortcut = "bnp";
        }
        return init(b.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn2", shortcut)
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("gap", gap(), "relu")
                .addLayer("out", softmax(4), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 3)).build());
    }

    /**
     * An inception-like block on 3×6×6: stem(3→4); b1 = conv1×1(4→3), b2 = conv3×3(4→5),
     * b3 = maxpool3×3/1 (same) of stem; cat = merge(b1, b2, b3) (12 channels) → c(12→6) → gap → out(→2).
     */
    static ComputationGraph inception() {
        return init(base().graphBuilder().addInputs("in")
                .addLayer("stem", conv(3, 4), "in")
                .addLayer("b1", conv(1, 3), "stem")
                .addLayer("b2", conv(3, 5), "stem")
                .addLayer("b3", new SubsamplingLayer.Builder(3, 3).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build(), "stem")
                .addVertex("cat", new MergeVertex(), "b1", "b2", "b3")
                .addLayer("c", conv(3, 6), "cat")
                .addLayer("gap", gap(), "c")
                .addLayer("out", softmax(2), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 3)).build());
    }
}
