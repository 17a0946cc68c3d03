package org.integral4j.examples.reference;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The network of TorchIntegral's MNIST example ({@code examples/classification/mnist.py}) as a DL4J
 * network, on inputs {@code (batch, 1, 28, 28)} scaled to [-1, 1]:
 * <pre>
 * conv 3x3,  1 -> 16, same padding - relu - avg pool 2  (28 -> 14)
 * conv 5x5, 16 -> 32, same padding - relu - avg pool 2  (14 -> 7)
 * conv 5x5, 32 -> 64, same padding - relu - avg pool 2  (7 -> 3)
 * the feature vector at position (0, 0)  (TorchIntegral: x[:, :, 0, 0]; here a 2D cropping to 1x1)
 * dense 64 -> 10, softmax cross-entropy
 * </pre>
 * The head is a dense layer and a {@link LossLayer} that applies the softmax (rather than an
 * {@code OutputLayer}): the converted network then keeps DL4J's clipped softmax-cross-entropy
 * gradient. A converted {@code OutputLayer} becomes an integral dense layer with the softmax plus a
 * loss layer without activation, whose gradient {@code -y / p} is infinite when a confident
 * network's probability underflows to 0 in float32, and random-width training then diverges.
 * TorchIntegral pads by replication; DL4J's {@link ConvolutionMode#Same} pads with zeros.
 */
public final class ReferenceNet {

    /** Adam step size of TorchIntegral's example for the first epochs. */
    public static final double LEARNING_RATE = 1e-2;

    private ReferenceNet() {
    }

    /**
     * @param seed weight-initialisation seed
     * @return the initialised plain network (Adam, {@link #LEARNING_RATE})
     */
    public static MultiLayerNetwork discrete(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(avgPool())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(avgPool())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(avgPool())
                .layer(new Cropping2D(0, 2, 0, 2))
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static SubsamplingLayer avgPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }
}
