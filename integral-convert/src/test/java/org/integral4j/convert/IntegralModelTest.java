package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.layers.conf.Freeze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class IntegralModelTest {

    private static INDArray x(long... shape) {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
    }

    @Test
    void groupsAreNamedInNetworkOrderAndResizeChangesWidths() {
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(Topologies.sequential());
        assertEquals(List.of("conv1.out", "conv2.out", "fc1.out"), inn.groupNames());
        assertEquals(8, inn.fullSize("conv1.out"));
        inn.resize("conv1.out", 5);
        inn.resize(0.5);
        assertEquals(4, inn.size("conv1.out"));
        assertEquals(4, inn.size("conv2.out"));
        assertEquals(5, inn.size("fc1.out"));
        assertTrue(inn.describe().contains("conv2.out") && inn.describe().contains("fc1(in)"), inn.describe());
        MultiLayerNetwork small = (MultiLayerNetwork) inn.toDiscrete();
        assertEquals(4, small.getLayer(0).getParam("W").size(0));
        // Loadable without Integral4J: only DL4J layer and preprocessor classes in its configuration.
        String json = small.getLayerWiseConfigurations().toJson();
        assertTrue(!json.contains("org.integral4j"), "plain DL4J configuration");
    }

    /**
     * A network converted with its batch norms kept exports with them folded on request: no batch
     * norm layers left, the same outputs as the unfolded export, a plain DL4J configuration, and
     * the integral model and its unfolded export untouched.
     */
    @Test
    void exportCanFoldTheBatchNormsKeptAtConversion() {
        ComputationGraph source = Topologies.resnet();
        IntegralModel inn = IntegralWrapper.builder().fuseBatchNorm(false).build().wrapModel(source);
        inn.resize(0.5);
        INDArray params = ((ComputationGraph) inn.network()).params().dup();
        ComputationGraph kept = (ComputationGraph) inn.toDiscrete();
        ComputationGraph folded = (ComputationGraph) inn.toDiscrete(true);
        long batchNorms = java.util.Arrays.stream(folded.getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization).count();
        long keptBatchNorms = java.util.Arrays.stream(kept.getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization).count();
        assertEquals(6, keptBatchNorms, "the unfolded export keeps the six batch norms");
        assertEquals(0, batchNorms, "every batch norm follows a convolution and is folded");
        assertEquals(kept.getNumLayers() - 6, folded.getNumLayers());
        INDArray input = x(4, 3, 12, 12);
        INDArray expected = kept.outputSingle(input);
        INDArray actual = folded.outputSingle(input);
        assertTrue(actual.sub(expected).amaxNumber().doubleValue() < 1e-9 * (1 + expected.amaxNumber().doubleValue()),
                "folded export computes what the unfolded one does");
        assertTrue(!folded.getConfiguration().toJson().contains("org.integral4j"), "plain DL4J configuration");
        assertEquals(params, ((ComputationGraph) inn.network()).params(), "the integral network is not changed");
        assertEquals(4, inn.size(inn.groupNames().get(0)), "sizes unchanged");
        assertTrue(inn.toDiscrete(false).numParams() == kept.numParams(), "false gives the plain export");
    }

    @Test
    void clearErrorsForUnknownGroupsBadSizesAndDiscreteAxes() {
        IntegralModel inn = IntegralWrapper.builder()
                .analysisOptions(AnalysisOptions.builder().forceDiscrete("fc1").build()).build()
                .wrapModel(Topologies.sequential());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> inn.resize("nope", 3));
        assertTrue(unknown.getMessage().contains("unknown group 'nope'") && unknown.getMessage().contains("conv1.out"),
                unknown.getMessage());
        IllegalArgumentException discrete = assertThrows(IllegalArgumentException.class, () -> inn.resize("fc1.out", 3));
        assertTrue(discrete.getMessage().contains("stay discrete") && discrete.getMessage().contains("'fc1'"),
                discrete.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> inn.resize("conv1.out", 0));
        assertTrue(small.getMessage().contains("takes 2 to 8 channels"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> inn.resize(-0.5));
        assertThrows(IllegalArgumentException.class, () -> IntegralWrapper.builder().build().wrapModel(null));
    }

    @Test
    void aLayerWithoutAnIntegralCounterpartOnAContinuousAxisIsAClearError() {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().dataType(DataType.DOUBLE).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).name("conv").nOut(6).build())
                .layer(new org.deeplearning4j.nn.conf.layers.SeparableConvolution2D.Builder(3, 3).name("sep").nOut(5)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder().build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().name("out").nOut(3).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntegralWrapper.builder().build().wrapModel(net));
        assertTrue(e.getMessage().contains("'sep' (SeparableConvolution2D)") && e.getMessage().contains("forceDiscrete"),
                e.getMessage());
        // Following the hint works: the separable layer's channels stay discrete.
        IntegralModel inn = IntegralWrapper.builder()
                .analysisOptions(AnalysisOptions.builder().forceDiscrete("sep").build()).build().wrapModel(net);
        INDArray in = x(2, 1, 8, 8);
        assertTrue(net.output(in).equalsWithEps(inn.multiLayerNetwork().output(in), 1e-10));
    }

    @Test
    void saveAndLoadRoundTripAndRejectForeignFiles(@TempDir Path dir) throws Exception {
        ComputationGraph source = Topologies.resnet();
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(source);
        inn.resize(0.75);
        inn.groups().setDistributions(0.5, true);
        INDArray input = x(2, 3, 12, 12);
        INDArray expected = inn.computationGraph().outputSingle(input);
        File file = dir.resolve("inn.zip").toFile();
        inn.save(file);
        IntegralModel loaded = IntegralModel.load(file);
        assertEquals(inn.sizes(), loaded.sizes());
        assertTrue(expected.equalsWithEps(loaded.computationGraph().outputSingle(input), 0.0), "bit-exact outputs");
        assertEquals(inn.groups().get("stem.out").distribution(), loaded.groups().get("stem.out").distribution());
        INDArray exported = ((ComputationGraph) loaded.toDiscrete()).outputSingle(input);
        assertTrue(exported.sub(expected).amaxNumber().doubleValue() < 1e-6, "export after load");

        File plain = dir.resolve("plain.zip").toFile();
        ModelSerializer.writeModel(source, plain, false);
        IntegralModelFileException foreign = assertThrows(IntegralModelFileException.class,
                () -> IntegralModel.load(plain));
        assertTrue(foreign.getMessage().contains("plain DL4J network") && foreign.getMessage().contains("IntegralWrapper")
                && foreign.getMessage().contains("entry objects/integral4j/model.json: missing"), foreign.getMessage());
        File corrupt = dir.resolve("corrupt.zip").toFile();
        Files.write(corrupt.toPath(), new byte[] {1, 2, 3, 4, 5});
        IntegralModelFileException bad = assertThrows(IntegralModelFileException.class,
                () -> IntegralModel.load(corrupt));
        assertTrue(bad.getMessage().contains("corrupt.zip") && bad.getMessage().contains("not a zip archive"),
                bad.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> IntegralModel.load(dir.resolve("missing.zip").toFile()));

        IntegralModel mln = IntegralWrapper.builder().build().wrapModel(Topologies.sequential());
        mln.resize(0.5);
        File mlnFile = dir.resolve("mln.zip").toFile();
        mln.save(mlnFile);
        IntegralModel mlnLoaded = IntegralModel.load(mlnFile);
        INDArray in2 = x(2, 2, 10, 10);
        assertEquals(mln.sizes(), mlnLoaded.sizes());
        assertTrue(mln.multiLayerNetwork().output(in2).equalsWithEps(mlnLoaded.multiLayerNetwork().output(in2), 0.0));
    }

    @Test
    void metricsCountParametersAndMacs() {
        MultiLayerNetwork source = Topologies.flatten();
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(source);
        CompressionMetrics full = inn.metrics(InputType.convolutional(9, 9, 1));
        assertEquals(source.numParams(), full.paramsFull());
        assertEquals(full.paramsFull(), full.paramsCurrent());
        // conv 6x1x3x3 on 7x7 outputs + dense (6*3*3 -> 8) + output (8 -> 4)
        assertEquals(6L * 7 * 7 * 9 + 54L * 8 + 8L * 4, full.macsFull());
        inn.resize(0.5);
        CompressionMetrics half = inn.metrics(InputType.convolutional(9, 9, 1));
        assertEquals(3L * 7 * 7 * 9 + 27L * 4 + 4L * 4, half.macsCurrent());
        assertEquals(inn.toDiscrete().numParams(), half.paramsCurrent());
        assertTrue(half.toString().contains("MACs"));
    }

    @Test
    void randomPartitionTrainingAndGridTuningRunInsideFit() {
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(Topologies.sequential());
        MultiLayerNetwork net = inn.multiLayerNetwork();
        INDArray input = x(6, 2, 10, 10);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int i = 0; i < 6; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        DataSet ds = new DataSet(input, labels);
        net.addListeners(inn.randomPartitions(0.5, false));
        List<Long> widths = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            net.fit(ds);
            widths.add(net.feedForward(input, true).get(1).size(1));
        }
        assertTrue(widths.stream().distinct().count() > 1, "widths vary during training: " + widths);

    }

    @Test
    void gridTuningTrainsOnlyTheGridPoints() {
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(Topologies.flatten());
        INDArray input = x(8, 1, 9, 9);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 8, 4);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, i % 4, 1);
        }
        DataSet ds = new DataSet(input, labels);
        inn.resize(0.5);
        INDArray params = inn.network().params().dup();
        Model before = inn.network();
        double scoreBefore = inn.multiLayerNetwork().score(ds);
        inn.gridTuning(Freeze.ALL, 0.02);
        assertTrue(before != inn.network(), "grid tuning rebuilds the network");
        for (int i = 0; i < 25; i++) {
            inn.multiLayerNetwork().fit(ds);
        }
        assertTrue(inn.multiLayerNetwork().score(ds) < scoreBefore, "grid tuning lowers the loss");
        String group = inn.groupNames().get(0);
        double[] pts = inn.groups().get(group).grid().points();
        assertEquals(-1.0, pts[0]);
        assertEquals(1.0, pts[pts.length - 1]);
        assertTrue(!inn.groups().get(group).grid().isUniform(1e-6), "the points moved");
        assertTrue(params.equalsWithEps(inn.network().params(), 0.0), "frozen knot tensors");
        // The export samples the tuned grid.
        INDArray expected = inn.multiLayerNetwork().output(input);
        assertTrue(((MultiLayerNetwork) inn.toDiscrete()).output(input).sub(expected).amaxNumber().doubleValue() < 1e-6);
    }
}
