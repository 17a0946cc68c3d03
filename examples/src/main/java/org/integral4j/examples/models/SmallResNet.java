package org.integral4j.examples.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small ResNet-style graph for 28x28x1 inputs, with batch norms and residual additions:
 * <pre>
 * stem: conv 3x3 (16, bias-free) - BN - relu - maxpool 2             28x28 -> 14x14
 * block 1 (identity):   conv 3x3 16 - BN - relu - conv 3x3 16 - BN, + stem, relu
 * block 2 (projection): conv 3x3 32 stride 2 - BN - relu - conv 3x3 32 - BN,
 *                       + (conv 1x1 32 stride 2 - BN), relu              14x14 -> 7x7
 * block 3 (identity):   conv 3x3 32 - BN - relu - conv 3x3 32 - BN, + block 2, relu
 * global average pool - softmax (10)
 * </pre>
 * About 2.6 M multiply-accumulates per image, like {@link SmallCnn}. All batch norms follow a
 * bias-free convolution, so the converter folds them.
 */
public final class SmallResNet {

    private SmallResNet() {
    }

    /**
     * The plain DL4J graph.
     *
     * @param seed weight-init seed
     * @return an initialised graph (input "in", output "out")
     */
    public static ComputationGraph discrete(long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(28, 28, 1));
        convBn(g, "stem", 16, 3, 1, "in");
        g.addLayer("stem_relu", relu(), "stem_bn");
        g.addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                .stride(2, 2).build(), "stem_relu");
        String x = block(g, "b1", 16, 1, "pool", false);
        x = block(g, "b2", 32, 2, x, true);
        x = block(g, "b3", 32, 1, x, false);
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                .activation(Activation.SOFTMAX).build(), "gap");
        g.setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static String block(ComputationGraphConfiguration.GraphBuilder g, String name, int channels, int stride,
                                String input, boolean projection) {
        convBn(g, name + "c1", channels, 3, stride, input);
        g.addLayer(name + "r1", relu(), name + "c1_bn");
        convBn(g, name + "c2", channels, 3, 1, name + "r1");
        String shortcut = input;
        if (projection) {
            convBn(g, name + "proj", channels, 1, stride, input);
            shortcut = name + "proj_bn";
        }
        g.addVertex(name + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "c2_bn", shortcut);
        g.addLayer(name + "out", relu(), name + "add");
        return name + "out";
    }

    static void convBn(ComputationGraphConfiguration.GraphBuilder g, String name, int out, int k, int stride,
                       String input) {
        g.addLayer(name, new ConvolutionLayer.Builder(k, k).nOut(out).stride(stride, stride).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), input);
        g.addLayer(name + "_bn", new BatchNormalization.Builder().build(), name);
    }

    static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
