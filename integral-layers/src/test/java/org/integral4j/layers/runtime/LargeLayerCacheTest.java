package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The inference cache of a layer with more than 2^20 parameters, whose parameter checksum is the
 * rank-1 random projection: a swap of two knot rows set through the network is noticed.
 */
class LargeLayerCacheTest {

    @Test
    void swapOfTwoChannelsInALargeLayerInvalidatesTheCache() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT).list()
                .layer(new IntegralDense.Builder().nOut(1030).outGroup("h").activation(Activation.TANH).build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("h").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(1021)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        IntegralNetworks.bindNew(net, 1);
        assertTrue(net.getLayer(0).numParams() > (1 << 20), "the first layer is above the full-checksum limit");
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1021);
        INDArray before = net.output(x);
        // Swap the knots of two output channels of the first layer's weight: sums and norms stay equal.
        INDArray params = net.params().dup();
        INDArray w = params.reshape(params.length()).get(NDArrayIndex.interval(0, 1030L * 1021)).reshape('c', 1030, 1021);
        INDArray row3 = w.getRow(3).dup();
        w.getRow(3).assign(w.getRow(700));
        w.getRow(700).assign(row3);
        net.setParams(params);
        INDArray after = net.output(x);
        assertTrue(TensorAssert.maxAbsDiff(before, after) > 1e-6, "the swap changes the output");
        MultiLayerNetwork fresh = new MultiLayerNetwork(conf.clone());
        fresh.init(params.dup(), false);
        IntegralNetworks.bindNew(fresh, 1);
        TensorAssert.assertClose("cached output after the swap", fresh.output(x), after, 1e-6, 1e-5);
    }
}
