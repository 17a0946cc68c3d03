package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.train.RandomPartitionListener;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Integral layers inside whole DL4J networks: serialisation, caching, random partitions, errors. */
class IntegralNetworkTest {

    static MultiLayerConfiguration cnnConf() {
        return new NeuralNetConfiguration.Builder().seed(12).updater(new Adam(1e-2)).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).padding(1).nOut(8).outGroup("c1")
                        .activation(Activation.RELU).build())
                .layer(new IntegralBatchNormalization.Builder().group("c1").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(6).inGroup("c1").outGroup("c2")
                        .activation(Activation.RELU).build())
                .layer(new IntegralDense.Builder().nOut(10).inGroup("c2").outGroup("f1").activation(Activation.RELU)
                        .build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("f1").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
    }

    static MultiLayerNetwork cnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(cnnConf());
        net.init();
        return net;
    }

    static DataSet data(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, 8, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    @Test
    void jsonAndModelSerializerRoundTripBitExactly(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = cnnConf();
        String json = conf.toJson();
        assertTrue(json.contains("org.integral4j.layers.conf.IntegralConvolution2D"), "class names in JSON");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());

        MultiLayerNetwork net = cnn();
        DataSet ds = data(16, 1);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        File file = dir.resolve("integral.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.params(), restored.params());
        assertTrue(net.params().equalsWithEps(restored.params(), 0.0));
        assertTrue(net.getUpdater().getStateViewArray().equalsWithEps(restored.getUpdater().getStateViewArray(), 0.0));
        assertTrue(net.output(ds.getFeatures()).equalsWithEps(restored.output(ds.getFeatures()), 0.0),
                "outputs must be bit-exact");
        net.fit(ds);
        restored.fit(ds);
        assertTrue(net.params().equalsWithEps(restored.params(), 0.0), "training continues identically");
    }

    @Test
    void computationGraphRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in")
                .addLayer("conv", new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(4).outGroup("g")
                        .activation(Activation.TANH).build(), "in")
                .addLayer("dense", new IntegralDense.Builder().nOut(3).inGroup("g").activation(Activation.SOFTMAX)
                        .build(), "conv")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.IDENTITY).build(), "dense")
                .setOutputs("loss").setInputTypes(InputType.convolutional(8, 8, 1)).build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        ChannelGroups groups = IntegralNetworks.bindNew(cg, 1);
        DataSet ds = data(8, 2);
        cg.fit(ds);
        groups.get("g").resize(3);
        assertArrayEquals(new long[] {8, 3}, cg.outputSingle(ds.getFeatures()).shape());
        File file = dir.resolve("cg.zip").toFile();
        ModelSerializer.writeModel(cg, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertTrue(cg.params().equalsWithEps(restored.params(), 0.0));
        IntegralNetworks.bindNew(restored, 1).get("g").resize(3);
        assertTrue(cg.outputSingle(ds.getFeatures()).equalsWithEps(restored.outputSingle(ds.getFeatures()), 0.0));
    }

    @Test
    void inferenceReusesSampledWeightsUntilSomethingChanges() {
        MultiLayerNetwork net = cnn();
        ChannelGroups groups = IntegralNetworks.bindNew(net, 1);
        IntegralConvolutionLayer conv = (IntegralConvolutionLayer) net.getLayer(3);
        INDArray x = data(4, 3).getFeatures();
        net.output(x);
        INDArray first = conv.sampledParameter("W");
        net.output(x);
        assertSame(first, conv.sampledParameter("W"), "unchanged grids and knots: cached");
        groups.get("c2").resize(4);
        INDArray resized = conv.sampledParameter("W");
        assertNotSame(first, resized);
        assertEquals(4, resized.size(0));
        // Changing the parameters behind the layer's back (network-level setParams) is noticed.
        INDArray params = net.params().dup();
        params.muli(0.5);
        net.setParams(params);
        INDArray after = conv.sampledParameter("W");
        assertNotSame(resized, after);
        TensorAssert.assertClose("halved", resized.mul(0.5), after, 1e-6, 1e-6);
        // A permutation of knots keeps sums and norms; the checksum still notices it.
        INDArray w = net.getParam("3_W");
        INDArray swapped = net.params().dup();
        long offset = 0;
        for (java.util.Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (e.getKey().equals("3_W")) {
                break;
            }
            offset += e.getValue().length();
        }
        long block = w.length() / w.size(0);
        INDArray blockA = swapped.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + block)).dup();
        INDArray blockB = swapped.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset + block,
                offset + 2 * block)).dup();
        swapped.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + block)).assign(blockB);
        swapped.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset + block, offset + 2 * block)).assign(blockA);
        net.setParams(swapped);
        assertNotSame(after, conv.sampledParameter("W"), "a channel swap invalidates the cache");
    }

    @Test
    void randomPartitionTrainingChangesWidthsEveryIteration() {
        MultiLayerNetwork net = cnn();
        ChannelGroups groups = IntegralNetworks.bindNew(net, 7);
        groups.setDistributions(0.5, false);
        Set<Long> widths = new HashSet<>();
        net.setListeners(new RandomPartitionListener(groups), new BaseTrainingListener() {
            @Override
            public void onForwardPass(org.deeplearning4j.nn.api.Model model, List<INDArray> activations) {
                widths.add(activations.get(1).size(1));
            }
        });
        DataSet ds = data(8, 4);
        double first = net.score(ds);
        for (int i = 0; i < 12; i++) {
            net.fit(ds);
        }
        assertTrue(widths.size() >= 3, "first-layer widths seen during training: " + widths);
        assertTrue(widths.stream().allMatch(w -> w >= 4 && w <= 8), widths.toString());
        // Evaluation still runs at the evaluation (full) size.
        assertEquals(8, net.feedForward(ds.getFeatures(), false).get(1).size(1));
        assertTrue(net.score(ds) < first, "training lowers the loss");
    }

    @Test
    void partitionConsistencyMixesTheOutputAtASecondPartitionIntoTheLabels() {
        MultiLayerNetwork net = cnn();
        ChannelGroups groups = IntegralNetworks.bindNew(net, 9);
        groups.setDistributions(0.5, false);
        groups.get("f1").resize(7);
        DataSet ds = data(8, 6);
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator it =
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(ds.asList(), 4);
        org.integral4j.layers.train.PartitionConsistencyIterator consistency =
                new org.integral4j.layers.train.PartitionConsistencyIterator(it, net, groups, 0.25);
        DataSet mixed = consistency.next();
        assertEquals(7, groups.get("f1").size(), "evaluation sizes are restored");
        INDArray labels = ds.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4));
        INDArray other = mixed.getLabels().sub(labels.mul(0.75)).divi(0.25);
        // The recovered second-partition output is a probability distribution that differs from the labels.
        TensorAssert.assertClose("row sums", Nd4j.ones(DataType.FLOAT, 4), other.sum(1), 1e-5, 0);
        assertTrue(other.minNumber().doubleValue() >= -1e-6 && TensorAssert.maxAbsDiff(other, labels) > 1e-3);
        INDArray before = net.params().dup();
        net.fit(new org.integral4j.layers.train.PartitionConsistencyIterator(it, net, groups, 0.25), 1);
        assertTrue(TensorAssert.maxAbsDiff(before, net.params()) > 0, "training with the term updates the network");
        assertThrows(IllegalArgumentException.class,
                () -> new org.integral4j.layers.train.PartitionConsistencyIterator(it, net, groups, 1.0));
    }

    @Test
    void twoModelsWithDifferentSizesRunInTwoThreads() throws Exception {
        MultiLayerNetwork a = cnn();
        MultiLayerNetwork b = cnn();
        b.setParams(a.params());
        ChannelGroups ga = IntegralNetworks.bindNew(a, 1);
        ChannelGroups gb = IntegralNetworks.bindNew(b, 1);
        gb.resizeAll(0.5);
        INDArray x = data(4, 5).getFeatures();
        INDArray expectedA = a.feedForward(x, false).get(3).dup();
        INDArray expectedB = b.feedForward(x, false).get(3).dup();
        assertEquals(8, expectedA.size(1));
        assertEquals(4, expectedB.size(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                MultiLayerNetwork net = t == 0 ? a : b;
                INDArray expected = t == 0 ? expectedA : expectedB;
                results.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int i = 0; i < 20; i++) {
                        ok &= net.feedForward(x, false).get(3).equalsWithEps(expected, 1e-6);
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(), "each model keeps its own sizes");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8, ga.get("c1").size());
    }

    @Test
    void clearErrorsForBadSizesAndUnsupportedSettings() {
        MultiLayerNetwork net = cnn();
        ChannelGroups groups = IntegralNetworks.bindNew(net, 1);
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> groups.get("c1").resize(1));
        assertTrue(small.getMessage().contains("group 'c1'") && small.getMessage().contains("at least 2"),
                small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> groups.get("c1").resize(0));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> groups.get("nope"));
        assertTrue(unknown.getMessage().contains("Known groups: [c1, c2, f1]"), unknown.getMessage());

        IllegalArgumentException causal = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(
                new NeuralNetConfiguration.Builder().list()
                        .layer(new IntegralConvolution2D.Builder().name("conv0").kernelSize(3, 3).nOut(4)
                                .convolutionMode(ConvolutionMode.Causal).build())
                        .layer(new LossLayer.Builder().build())
                        .setInputType(InputType.convolutional(8, 8, 1)).build()).init());
        assertTrue(causal.getMessage().contains("layer 'conv0' (IntegralConvolution2D)")
                && causal.getMessage().contains("Causal"), causal.getMessage());

        IllegalArgumentException noise = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(
                new NeuralNetConfiguration.Builder().weightNoise(new DropConnect(0.5)).list()
                        .layer(new IntegralDense.Builder().nOut(4).outGroup("h").build())
                        .layer(new LossLayer.Builder().build())
                        .setInputType(InputType.feedForward(3)).build()).init());
        assertTrue(noise.getMessage().contains("weight noise"), noise.getMessage());

        IllegalArgumentException nhwc = assertThrows(IllegalArgumentException.class, () ->
                new NeuralNetConfiguration.Builder().list()
                        .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(4).build())
                        .layer(new LossLayer.Builder().build())
                        .setInputType(InputType.convolutional(8, 8, 1,
                                org.deeplearning4j.nn.conf.CNN2DFormat.NHWC)).build());
        assertTrue(nhwc.getMessage().contains("NCHW"), nhwc.getMessage());

        MultiLayerNetwork other = cnn();
        ChannelGroups wrong = new ChannelGroups(1);
        wrong.add("c1", 5);
        wrong.add("c2", 6);
        wrong.add("f1", 10);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> IntegralNetworks.bind(other, wrong));
        assertTrue(size.getMessage().contains("group 'c1' has full size 5") && size.getMessage().contains("8"),
                size.getMessage());
    }
}
