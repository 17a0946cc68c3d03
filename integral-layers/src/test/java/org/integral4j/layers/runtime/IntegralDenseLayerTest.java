package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class IntegralDenseLayerTest extends DoublePrecisionTest {


    static MultiLayerNetwork mlp(DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(type)
                .updater(new NoOp()).list()
                .layer(new IntegralDense.Builder().nOut(7).outGroup("h1").activation(Activation.TANH).build())
                .layer(new IntegralDense.Builder().nOut(6).inGroup("h1").outGroup("h2").activation(Activation.SIGMOID)
                        .build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("h2").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray[] data(int n) {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 4).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new INDArray[] {x, y};
    }

    @Test
    void gradientsAtFullAndReducedSize() {
        MultiLayerNetwork net = mlp(DataType.DOUBLE);
        INDArray[] d = data(5);
        GradientChecks.assertGradients("unbound, full size", net, d[0], d[1], Set.of());
        ChannelGroups groups = IntegralNetworks.bindNew(net, 1);
        GradientChecks.assertGradients("bound, full size", net, d[0], d[1], Set.of());
        groups.get("h1").resize(4);
        groups.get("h2").resize(3);
        GradientChecks.assertGradients("reduced 7->4, 6->3", net, d[0], d[1], Set.of());
    }

    @Test
    void fullSizeIsADenseNetworkAndResizingChangesWidths() {
        MultiLayerNetwork net = mlp(DataType.FLOAT);
        INDArray x = data(3)[0].castTo(DataType.FLOAT);
        // At full size the first layer computes tanh(x W^T + b) with W the sampled knots.
        IntegralDenseLayer first = (IntegralDenseLayer) net.getLayer(0);
        INDArray w = first.getParam("W");
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.tanh(x.mmul(w.transpose())
                .addRowVector(first.getParam("b").reshape(1, 7)));
        TensorAssert.assertClose("layer 0", expected, net.feedForward(x, false).get(1), 1e-6, 0);
        ChannelGroups groups = IntegralNetworks.bindNew(net, 1);
        groups.get("h1").resize(5);
        assertArrayEquals(new long[] {3, 5}, net.feedForward(x, false).get(1).shape());
        assertArrayEquals(new long[] {3, 3}, net.output(x).shape());
        assertEquals(net.numParams(), 7 * 4 + 7 + 6 * 7 + 6 + 3 * 6 + 3);
    }

    @Test
    void aWrongInputWidthNamesTheLayerAndTheGroup() {
        MultiLayerNetwork net = mlp(DataType.FLOAT);
        IntegralNetworks.bindNew(net, 1);
        IntegralDenseLayer second = (IntegralDenseLayer) net.getLayer(1);
        second.setInput(Nd4j.rand(DataType.FLOAT, 2, 5), org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        DL4JInvalidInputException e = assertThrows(DL4JInvalidInputException.class,
                () -> second.activate(false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(e.getMessage().contains("input group 'h1' currently has 7 channels")
                && e.getMessage().contains("Resize the group"), e.getMessage());
    }
}
