package org.integral4j.convert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link IntegralCli} end to end on a small saved MultiLayerNetwork and ComputationGraph (conv -
 * relu - pool - conv - global pool - dense - output, random weights): help, info, resize by ratio
 * and by group with the written files checked against the integral model, and every error class
 * with its exit status.
 */
class IntegralCliTest {

    private static final String CNN = "cnn:8x8x2";
    private static final long[] INPUT_SHAPE = {3, 2, 8, 8};

    @TempDir
    static File dir;

    private static File mlnFile;
    private static File graphFile;
    private static MultiLayerNetwork mln;
    private static List<String> mlnGroups;
    private static List<String> graphGroups;

    /** What one run printed and returned. */
    private record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void saveModels() throws IOException {
        mln = multiLayerNetwork();
        ComputationGraph graph = computationGraph();
        mlnFile = new File(dir, "mln.zip");
        graphFile = new File(dir, "graph.zip");
        ModelSerializer.writeModel(mln, mlnFile, true);
        ModelSerializer.writeModel(graph, graphFile, true);
        IntegralWrapper wrapper = IntegralWrapper.builder().permute(false).build();
        mlnGroups = wrapper.wrapModel(mln).groupNames();
        graphGroups = wrapper.wrapModel(graph).groupNames();
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER);
    }

    private static MultiLayerNetwork multiLayerNetwork() {
        MultiLayerConfiguration conf = base(11).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(6).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(2, 2).name("conv2").nOut(8).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ComputationGraph computationGraph() {
        ComputationGraphConfiguration conf = base(12).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 2))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).build(),
                        "in")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "conv1")
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "relu1")
                .addLayer("conv2", new ConvolutionLayer.Builder(2, 2).nOut(8).activation(Activation.TANH).build(),
                        "pool1")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv2")
                .addLayer("fc1", new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build(), "gap")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "fc1")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = IntegralCli.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertExit(int expected, Result r) {
        assertEquals(expected, r.code(), "exit status; out:\n" + r.out() + "\nerr:\n" + r.err());
    }

    private static INDArray input() {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.rand(DataType.DOUBLE, INPUT_SHAPE).subi(0.5).muli(2);
    }

    private static INDArray output(Model m, INDArray x) {
        return m instanceof MultiLayerNetwork n ? n.output(x) : ((ComputationGraph) m).outputSingle(x);
    }

    /** Asserts max |actual - expected| / max |expected| within the tolerance. */
    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + ": shape "
                + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape()));
        INDArray diff = Nd4j.math().abs(actual.sub(expected));
        double rel = diff.maxNumber().doubleValue() / Math.max(1e-12, expected.amaxNumber().doubleValue());
        assertTrue(rel <= tolerance, what + ": relative error " + rel + " at flat index " + diff.argMax()
                + " (shape " + java.util.Arrays.toString(expected.shape()) + ")");
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            Result r = run(args);
            assertExit(0, r);
            assertTrue(r.out().contains("info") && r.out().contains("resize"), r.out());
            assertTrue(r.out().contains("java -cp <classpath> org.integral4j.convert.cli.IntegralCli"), r.out());
        }
        for (String[] args : new String[][] {{"help", "resize"}, {"resize", "--help"}, {"resize", "x.zip", "-h"}}) {
            Result r = run(args);
            assertExit(0, r);
            assertTrue(r.out().startsWith("usage: IntegralCli resize"), r.out());
            assertTrue(r.out().contains("--ratio R") && r.out().contains("--size GROUP=N"), r.out());
        }
        Result info = run("info", "--help");
        assertExit(0, info);
        assertTrue(info.out().contains("--input-type TYPE") && !info.out().contains("--ratio"), info.out());
        assertExit(0, run("--version"));
        Result none = run();
        assertExit(2, none);
        assertTrue(none.err().contains("usage:"), none.err());
        Result unknown = run("shrink", "a.zip");
        assertExit(2, unknown);
        assertTrue(unknown.err().contains("unknown command 'shrink'") && unknown.err().contains("info, resize"),
                unknown.err());
    }

    @Test
    void infoListsTheGroupsOfBothNetworkTypes() {
        Result r = run("info", mlnFile.getPath());
        assertExit(0, r);
        assertTrue(r.out().contains("MultiLayerNetwork"), r.out());
        for (String g : mlnGroups) {
            assertTrue(r.out().contains(g), "group " + g + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("parameters: "), r.out());
        assertTrue(r.out().contains("MACs per example: not counted"), r.out());
        assertTrue(r.err().isEmpty(), r.err());

        Result g = run("info", graphFile.getPath(), "--input-type", CNN);
        assertExit(0, g);
        assertTrue(g.out().contains("ComputationGraph"), g.out());
        for (String name : graphGroups) {
            assertTrue(g.out().contains(name), "group " + name + " listed:\n" + g.out());
        }
        assertTrue(g.out().matches("(?s).*MACs per example: [0-9,]+ at full size.*"), g.out());
    }

    @Test
    void infoKeepsDiscreteLayersOutOfTheGroups() {
        // both axes of fc1 stay discrete: its input group (conv2's channels) and its output group
        Result r = run("info", mlnFile.getPath(), "--discrete", "fc1");
        assertExit(0, r);
        assertTrue(r.out().contains("; " + (mlnGroups.size() - 2) + " resizable channel group(s)"), r.out());
        assertFalse(r.out().contains("fc1("), r.out());
        Result bad = run("info", mlnFile.getPath(), "--discrete", "fc9");
        assertExit(2, bad);
        assertTrue(bad.err().contains("fc9") && bad.err().contains("conv2"), bad.err());
    }

    @Test
    void resizeByRatioWritesASmallerPlainNetworkEqualToTheIntegralModel() throws IOException {
        File out = new File(dir, "mln-small.zip");
        Result r = run("resize", mlnFile.getPath(), "--ratio=0.5", "--out", out.getPath(), "--input-type", CNN);
        assertExit(0, r);
        assertTrue(r.out().contains("wrote the plain MultiLayerNetwork"), r.out());
        assertTrue(r.out().matches("(?s).*MACs per example: [0-9,]+ at full size.*"), r.out());

        MultiLayerNetwork small = ModelSerializer.restoreMultiLayerNetwork(out, false);
        assertTrue(small.numParams() < mln.numParams(), small.numParams() + " < " + mln.numParams());
        // the same conversion in code (default settings are deterministic) at the same sizes
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(mln);
        inn.resize(0.5);
        INDArray x = input();
        assertClose(output(inn.network(), x), output(small, x), 1e-5, "written model vs the integral network");
        assertClose(output(inn.toDiscrete(), x), output(small, x), 1e-5, "written model vs toDiscrete()");
    }

    @Test
    void integralFileOfAMultiLayerNetworkLoadsAtTheResizedSizes() throws IOException {
        File out = new File(dir, "mln-small2.zip");
        File inn = new File(dir, "mln-inn.zip");
        Result r = run("resize", mlnFile.getPath(), "--ratio", "0.5", "--out", out.getPath(), "--integral",
                inn.getPath(), "--no-permute");
        assertExit(0, r);
        assertTrue(r.out().contains("wrote the integral model to " + inn.getPath()), r.out());
        IntegralModel loaded = IntegralModel.load(inn);
        assertEquals(mlnGroups, loaded.groupNames());
        for (String g : loaded.groupNames()) {
            assertEquals(Math.max(2, Math.round(0.5 * loaded.fullSize(g))), loaded.size(g), g);
        }
        INDArray x = input();
        MultiLayerNetwork small = ModelSerializer.restoreMultiLayerNetwork(out, false);
        assertClose(output(loaded.toDiscrete(), x), output(small, x), 1e-5,
                "written model vs IntegralModel.load(...).toDiscrete()");
    }

    @Test
    void resizeOneGroupOfAGraphAndAgainFromTheIntegralModel() throws IOException {
        String group = graphGroups.get(graphGroups.size() - 1);
        File out = new File(dir, "graph-small.zip");
        File inn = new File(dir, "graph-inn.zip");
        Result r = run("resize", graphFile.getPath(), "--size", group + "=4", "--out", out.getPath(), "--integral",
                inn.getPath(), "--no-fuse-bn", "--seed", "7");
        assertExit(0, r);
        ComputationGraph small = ModelSerializer.restoreComputationGraph(out, false);
        IntegralModel loaded = IntegralModel.load(inn);
        for (String g : graphGroups) {
            assertEquals(g.equals(group) ? 4 : loaded.fullSize(g), loaded.size(g), g);
        }
        ComputationGraph source = ModelSerializer.restoreComputationGraph(graphFile, false);
        assertTrue(small.numParams() < source.numParams(), small.numParams() + " < " + source.numParams());
        INDArray x = input();
        assertClose(output(loaded.network(), x), output(small, x), 1e-5, "written graph vs the integral network");

        // the integral model as input: resize another group, the earlier one keeps its size
        String first = graphGroups.get(0);
        File out2 = new File(dir, "graph-smaller.zip");
        File inn2 = new File(dir, "graph-inn2.zip");
        Result again = run("resize", inn.getPath(), "--size", first + "=3", "--out", out2.getPath(), "--integral",
                inn2.getPath());
        assertExit(0, again);
        assertTrue(again.out().contains("integral model"), again.out());
        IntegralModel twice = IntegralModel.load(inn2);
        assertEquals(Map.of(first, 3, group, 4), Map.of(first, twice.size(first), group, twice.size(group)));
        ComputationGraph smaller = ModelSerializer.restoreComputationGraph(out2, false);
        assertTrue(smaller.numParams() < small.numParams(), smaller.numParams() + " < " + small.numParams());
        assertClose(output(twice.toDiscrete(), x), output(smaller, x), 1e-5, "second resize vs its integral model");
    }

    @Test
    void missingOrCorruptFilesFailWithTheFileName() throws IOException {
        File missing = new File(dir, "nope.zip");
        Result r = run("info", missing.getPath());
        assertExit(1, r);
        assertTrue(r.err().contains("no such file") && r.err().contains(missing.getPath()), r.err());

        File corrupt = new File(dir, "corrupt.zip");
        byte[] bytes = new byte[512];
        new Random(3).nextBytes(bytes);
        Files.write(corrupt.toPath(), bytes);
        Result c = run("resize", corrupt.getPath(), "--ratio", "0.5", "--out", new File(dir, "x.zip").getPath());
        assertExit(1, c);
        assertTrue(c.err().contains(corrupt.getPath()) && c.err().contains("not a zip archive"), c.err());
        assertTrue(c.err().contains("hint:"), c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace without --stacktrace:\n" + c.err());
        assertFalse(new File(dir, "x.zip").exists());

        Result d = run("resize", mlnFile.getPath(), "--ratio", "0.5", "--out",
                new File(new File(dir, "no-such-dir"), "x.zip").getPath());
        assertExit(1, d);
        assertTrue(d.err().contains("does not exist"), d.err());
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsValid() {
        String out = new File(dir, "never.zip").getPath();
        Result unknownOption = run("info", mlnFile.getPath(), "--fast");
        assertExit(2, unknownOption);
        assertTrue(unknownOption.err().contains("unknown option '--fast'")
                && unknownOption.err().contains("--input-type"), unknownOption.err());

        Result unknownGroup = run("resize", mlnFile.getPath(), "--size", "conv9.out=3", "--out", out);
        assertExit(2, unknownGroup);
        for (String g : mlnGroups) {
            assertTrue(unknownGroup.err().contains(g), "valid group " + g + " listed:\n" + unknownGroup.err());
        }

        for (String ratio : new String[] {"0", "1.5", "-0.5", "abc", "NaN"}) {
            Result r = run("resize", mlnFile.getPath(), "--ratio", ratio, "--out", out);
            assertExit(2, r);
            assertTrue(r.err().contains("(0, 1]"), r.err());
        }
        Result tooSmall = run("resize", mlnFile.getPath(), "--size", mlnGroups.get(0) + "=1", "--out", out);
        assertExit(2, tooSmall);
        assertTrue(tooSmall.err().contains("2 to "), tooSmall.err());

        assertExit(2, run("resize", mlnFile.getPath(), "--out", out));
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5"));
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5", "--out"));
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5", "--ratio", "0.7", "--out", out));
        assertExit(2, run("resize", mlnFile.getPath(), "--size", "fc1.out", "--out", out));
        assertExit(2, run("info"));
        assertExit(2, run("info", mlnFile.getPath(), graphFile.getPath()));
        assertExit(2, run("info", mlnFile.getPath(), "--input-type", "cnn:8x8"));
        assertExit(2, run("info", mlnFile.getPath(), "--input-type", CNN, "--input-type", CNN));
        assertFalse(new File(out).exists());
    }
}
