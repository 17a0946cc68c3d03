package org.integral4j.examples.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The small CNN of the examples, tests and benchmarks, as a plain DL4J network and as the same
 * integral network (the architecture of the speed measurements in docs/ARCHITECTURE.md):
 * conv 3x3 (32) - relu - maxpool 2 - conv 3x3 (64) - relu - maxpool 2 - dense 128 - relu - softmax
 * (10), on 28x28x1 inputs.
 */
public final class SmallCnn {

    private SmallCnn() {
    }

    /**
     * The plain DL4J CNN.
     *
     * @param seed weight-init seed
     * @return an initialised network
     */
    public static MultiLayerNetwork discrete(long seed) {
        return discrete(seed, 1e-3);
    }

    /**
     * The plain CNN with another Adam step size.
     *
     * @param seed         weight-init seed
     * @param learningRate Adam's step size
     * @return an initialised network
     */
    public static MultiLayerNetwork discrete(long seed, double learningRate) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The same CNN with integral layers: groups "conv1" (32), "conv2" (64) and "fc1" (128); the
     * image channels and the classes are discrete.
     *
     * @param seed weight-init seed
     * @return an initialised network (unbound: full size)
     */
    public static MultiLayerNetwork integral(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(32).outGroup("conv1")
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(64).inGroup("conv1").outGroup("conv2")
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new IntegralDense.Builder().nOut(128).inGroup("conv2").outGroup("fc1")
                        .activation(Activation.RELU).build())
                .layer(new IntegralDense.Builder().nOut(10).inGroup("fc1").activation(Activation.IDENTITY).build())
                // softmax in the loss layer: DL4J's MCXENT then takes the stable p - y gradient
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
