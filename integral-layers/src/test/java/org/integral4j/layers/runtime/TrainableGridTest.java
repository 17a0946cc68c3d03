package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.Freeze;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.train.GridTuningListener;
import org.integral4j.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Gradients with respect to trainable grid points, through every layer kind. */
class TrainableGridTest extends DoublePrecisionTest {


    private static MultiLayerNetwork net() {
        return net(false, new NoOp());
    }

    private static MultiLayerNetwork net(boolean frozen, org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(updater).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).padding(1).nOut(6).outGroup("c1")
                        .freeze(frozen ? Freeze.ALL : Freeze.NONE).activation(Activation.TANH).build())
                .layer(new IntegralBatchNormalization.Builder().group("c1").freeze(frozen ? Freeze.ALL : Freeze.NONE).initial(1.2, 0.1)
                        .build())
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(5).inGroup("c1").outGroup("c2")
                        .freeze(frozen ? Freeze.ALL : Freeze.NONE).activation(Activation.SIGMOID).build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("c2").freeze(frozen ? Freeze.ALL : Freeze.NONE)
                        .activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            y.putScalar(i, (i + 1) % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    private static long offset(MultiLayerNetwork net, String name) {
        long offset = 0;
        for (java.util.Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (e.getKey().equals(name)) {
                return offset;
            }
            offset += e.getValue().length();
        }
        throw new AssertionError(name);
    }

    @Test
    void gridGradientsMatchCentralDifferences() {
        MultiLayerNetwork net = net();
        ChannelGroups groups = IntegralNetworks.bindNew(net, 3);
        DataSet ds = data();
        for (String name : new String[] {"c1", "c2"}) {
            ChannelGroup g = groups.get(name);
            g.resize(g.fullSize() - 1);
            g.makeTrainable(TrainableGrid.Endpoints.FREE);
            // Move the points off the knots so every point has a smooth neighbourhood.
            double[] p = g.trainableGrid().current().points();
            for (int i = 0; i < p.length; i++) {
                p[i] *= 0.93;
            }
            g.trainableGrid().setInPlace(p);
        }
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        int batch = (int) ds.getFeatures().size(0);
        for (String name : new String[] {"c1", "c2"}) {
            ChannelGroup g = groups.get(name);
            double[] analytic = g.takeGridGradient();
            double[] points = g.trainableGrid().current().points();
            for (int i = 0; i < points.length; i++) {
                final int ii = i;
                double[] q = points.clone();
                double numeric = GradientCheck.centralDifference(v -> {
                    q[ii] = v;
                    g.trainableGrid().setInPlace(q);
                    return v;
                }, () -> q[ii], () -> net.score(ds, true) * batch);
                g.trainableGrid().setInPlace(points);
                double err = GradientCheck.relativeError(analytic[i], numeric, 1e-9);
                assertTrue(err < 1e-5, name + " point " + i + ": analytic " + analytic[i] + " numeric " + numeric);
            }
        }
    }

    @Test
    void gridTuningLowersTheLossWithFrozenWeights() {
        MultiLayerNetwork net = net(true, new org.nd4j.linalg.learning.config.Adam(0.05));
        ChannelGroups groups = IntegralNetworks.bindNew(net, 3);
        groups.get("c1").resize(4);
        groups.get("c1").makeTrainable(TrainableGrid.Endpoints.PINNED);
        net.setListeners(new GridTuningListener(groups, 0.01));
        DataSet ds = data();
        INDArray params = net.params().dup();
        double before = net.score(ds, false);
        for (int i = 0; i < 30; i++) {
            net.fit(ds);
        }
        double after = net.score(ds, false);
        assertTrue(after < before, "grid tuning must lower the loss: " + before + " -> " + after);
        // The knot tensors are frozen: only the grid and the batch-norm running statistics changed.
        for (int layer : new int[] {0, 2, 3}) {
            for (String key : net.getLayer(layer).paramTable().keySet()) {
                String full = layer + "_" + key;
                assertEquals(params.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset(net, full),
                        offset(net, full) + net.getParam(full).length())).reshape(net.getParam(full).shape()),
                        net.getParam(full), full + " must stay frozen");
            }
        }
        double[] pts = groups.get("c1").grid().points();
        assertEquals(-1.0, pts[0]);
        assertEquals(1.0, pts[3]);
    }
}
