package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class IntegralBatchNormalizationLayerTest extends DoublePrecisionTest {

    private static final Set<String> RUNNING = Set.of("1_mean", "1_log10stdev", "4_mean", "4_log10stdev");

    private static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).padding(1).nOut(5).outGroup("c1")
                        .activation(Activation.IDENTITY).build())
                .layer(new IntegralBatchNormalization.Builder().group("c1").initial(1.3, 0.1).build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(4).inGroup("c1").outGroup("c2")
                        .activation(Activation.IDENTITY).build())
                .layer(new IntegralBatchNormalization.Builder().group("c2").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("c2").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray[] data(int n) {
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 2, 6, 6).subi(0.3).muli(2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new INDArray[] {x, y};
    }

    @Test
    void gradientsAtFullAndReducedSize() {
        MultiLayerNetwork net = cnn();
        INDArray[] d = data(4);
        ChannelGroups g = IntegralNetworks.bindNew(net, 2);
        GradientChecks.assertGradients("bn full size", net, d[0], d[1], RUNNING);
        g.get("c1").resize(3);
        g.get("c2").resize(3);
        GradientChecks.assertGradients("bn reduced", net, d[0], d[1], RUNNING);
    }

    /** Inference caches sqrt(var + eps) with the sampled statistics; training that moves them is noticed. */
    @Test
    void inferenceSeesRunningStatisticsUpdatedByTraining() {
        MultiLayerNetwork net = cnn();
        INDArray[] d = data(4);
        ChannelGroups g = IntegralNetworks.bindNew(net, 2);
        g.get("c1").resize(4);
        INDArray before = net.output(d[0]);
        INDArray stats = net.getParam("1_log10stdev").dup();
        net.fit(new DataSet(d[0], d[1]));
        assertTrue(TensorAssert.maxAbsDiff(stats, net.getParam("1_log10stdev")) > 1e-6, "training moved the statistics");
        INDArray after = net.output(d[0]);
        MultiLayerNetwork fresh = cnn();
        fresh.setParams(net.params().dup());
        ChannelGroups fg = IntegralNetworks.bindNew(fresh, 2);
        fg.get("c1").resize(4);
        TensorAssert.assertClose("cached inference after training", fresh.output(d[0]), after, 1e-12, 1e-12);
        assertTrue(TensorAssert.maxAbsDiff(before, after) > 1e-9, "the output changed");
    }

    @Test
    void inferenceMatchesDl4jBatchNormalizationAtFullSize() {
        MultiLayerNetwork integral = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list()
                .layer(new IntegralBatchNormalization.Builder().group("g").build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .setInputType(InputType.feedForward(6)).build());
        integral.init();
        MultiLayerNetwork dl4j = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list()
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .setInputType(InputType.feedForward(6)).build());
        dl4j.init();
        Nd4j.getRandom().setSeed(1);
        for (String key : new String[] {"gamma", "beta", "mean", "log10stdev"}) {
            INDArray v = Nd4j.rand(DataType.DOUBLE, 6).subi(0.5);
            dl4j.setParam("0_" + key, v.reshape(dl4j.getParam("0_" + key).shape()));
            integral.setParam("0_" + key, v);
        }
        integral.setParam("1_W", dl4j.getParam("1_W"));
        integral.setParam("1_b", dl4j.getParam("1_b"));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 6);
        TensorAssert.assertClose("inference", dl4j.output(x), integral.output(x), 1e-12, 1e-12);
        // One training step moves the running statistics exactly as DL4J's does.
        DataSet ds = new DataSet(x, Nd4j.rand(DataType.DOUBLE, 5, 2));
        dl4j.fit(ds);
        integral.fit(ds);
        TensorAssert.assertClose("running mean", dl4j.getParam("0_mean").reshape(6), integral.getParam("0_mean"),
                1e-12, 1e-10);
        TensorAssert.assertClose("running log10 std", dl4j.getParam("0_log10stdev").reshape(6),
                integral.getParam("0_log10stdev"), 1e-12, 1e-10);
    }

    @Test
    void runningStatisticsMoveTowardsBatchStatisticsAtReducedSize() {
        MultiLayerNetwork net = cnn();
        ChannelGroups g = IntegralNetworks.bindNew(net, 2);
        g.get("c1").resize(3);
        INDArray[] d = data(16);
        IntegralBatchNormalizationLayer bn = (IntegralBatchNormalizationLayer) net.getLayer(1);
        INDArray before = bn.sampled(IntegralBatchNormalization.MEAN, false).dup();
        INDArray pre = net.feedForwardToLayer(0, d[0], true).get(1);
        INDArray batchMean = pre.mean(0, 2, 3);
        net.fit(new DataSet(d[0], d[1]));
        INDArray after = bn.sampled(IntegralBatchNormalization.MEAN, false);
        INDArray oldGap = batchMean.sub(before);
        INDArray newGap = batchMean.sub(after);
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(newGap.getDouble(c)) < Math.abs(oldGap.getDouble(c)),
                    "channel " + c + ": " + oldGap + " -> " + newGap);
        }
    }
}
