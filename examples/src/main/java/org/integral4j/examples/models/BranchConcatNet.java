package org.integral4j.examples.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
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
 * A branch-and-concatenate graph (an Inception-style block) with batch norms, for 28x28x1 inputs:
 * <pre>
 * stem: conv 3x3 (24, bias-free) - BN - relu - maxpool 2                    28x28 -> 14x14
 * branch a: conv 1x1 16 - BN - relu
 * branch b: conv 1x1 16 - BN - relu - conv 3x3 24 - BN - relu
 * branch c: conv 3x3 16 - BN - relu
 * concat (56) - maxpool 2                                                   14x14 -> 7x7
 * conv 3x3 48 - relu - BN (after the activation: not foldable, an integral batch norm)
 * global average pool - dense 64 - relu - softmax (10)
 * </pre>
 * About 2.9 M multiply-accumulates per image.
 */
public final class BranchConcatNet {

    private BranchConcatNet() {
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
        SmallResNet.convBn(g, "stem", 24, 3, 1, "in");
        g.addLayer("stem_relu", SmallResNet.relu(), "stem_bn");
        g.addLayer("pool1", maxPool(), "stem_relu");
        SmallResNet.convBn(g, "a", 16, 1, 1, "pool1");
        g.addLayer("a_relu", SmallResNet.relu(), "a_bn");
        SmallResNet.convBn(g, "b1", 16, 1, 1, "pool1");
        g.addLayer("b1_relu", SmallResNet.relu(), "b1_bn");
        SmallResNet.convBn(g, "b2", 24, 3, 1, "b1_relu");
        g.addLayer("b2_relu", SmallResNet.relu(), "b2_bn");
        SmallResNet.convBn(g, "c", 16, 3, 1, "pool1");
        g.addLayer("c_relu", SmallResNet.relu(), "c_bn");
        g.addVertex("cat", new MergeVertex(), "a_relu", "b2_relu", "c_relu");
        g.addLayer("pool2", maxPool(), "cat");
        g.addLayer("mix", new ConvolutionLayer.Builder(3, 3).nOut(48).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build(), "pool2");
        g.addLayer("mix_bn", new BatchNormalization.Builder().build(), "mix");
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "mix_bn");
        g.addLayer("fc", new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "gap");
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                .activation(Activation.SOFTMAX).build(), "fc");
        g.setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }
}
