package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The iterator's layout is what DL4J's CNN layers expect: a tiny CNN fits and evaluates on it. */
class Dl4jFitTest {

    @Test
    void smallCnnFitsTheEmbeddedSubset() throws IOException {
        FashionMnistData train = FashionMnist.embedded().train().stratifiedSubset(500, 1);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).updater(new Adam(3e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(FashionMnist.NUM_CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(FashionMnist.HEIGHT, FashionMnist.WIDTH, FashionMnist.CHANNELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        FashionMnistIterator it = train.iterator(50, 7);
        net.fit(it, 2); // asyncSupported: DL4J wraps it in an AsyncDataSetIterator
        assertEquals(1, it.epoch(), "fit(it, 2) resets once between its two epochs");
        it.reset();
        assertArrayEquals(new long[] {50, 10}, net.output(it.next().getFeatures()).shape());
        Evaluation eval = net.evaluate(train.iterator(100));
        assertEquals(500, eval.getNumRowCounter(), 0.0);
        assertTrue(eval.accuracy() > 0.3, "two epochs on 500 images beat chance (0.1): " + eval.accuracy());
    }
}
