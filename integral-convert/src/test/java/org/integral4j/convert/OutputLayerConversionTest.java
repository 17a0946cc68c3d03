package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.conf.IntegralDense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** An {@code OutputLayer} becomes an integral dense layer without activation and a loss layer that applies it. */
class OutputLayerConversionTest {

    @Test
    void theLossLayerCarriesTheSoftmaxSoConfidentMistakesTrainWithoutOverflow() {
        MultiLayerNetwork source = Topologies.sequential();
        // logits of thousands: the softmax of the losing classes underflows to exactly 0 in double
        source.getLayer(source.getnLayers() - 1).getParam("W").muli(1e4);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 2, 10, 10).subi(0.5).muli(2);
        INDArray p = source.output(x);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, Nd4j.argMin(p.getRow(i), 0).getInt(0), 1.0); // the least probable class
        }
        assertTrue(p.mul(y).sum(1).maxNumber().doubleValue() < 1e-300, "the true classes' probabilities underflow");

        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(source);
        MultiLayerNetwork net = inn.multiLayerNetwork();
        List<Layer> layers = List.of(net.getLayers());
        Layer dense = layers.get(layers.size() - 2);
        Layer loss = layers.get(layers.size() - 1);
        assertInstanceOf(IntegralDense.class, dense.conf().getLayer());
        assertInstanceOf(ActivationIdentity.class, ((IntegralDense) dense.conf().getLayer()).getActivationFn());
        assertInstanceOf(LossLayer.class, loss.conf().getLayer());
        assertInstanceOf(ActivationSoftmax.class, ((LossLayer) loss.conf().getLayer()).getActivationFn());
        double diff = net.output(x).sub(p).amaxNumber().doubleValue();
        assertTrue(diff < 1e-12, "same function at full size: " + diff);

        inn.resize(0.7);
        net.fit(new DataSet(x, y));
        assertTrue(Double.isFinite(net.score()), "finite loss: " + net.score());
        assertEquals(0, net.params().isNaN().castTo(DataType.INT).sumNumber().intValue(), "no NaN parameters");
        assertEquals(0, net.params().isInfinite().castTo(DataType.INT).sumNumber().intValue(), "no infinite parameters");
    }
}
