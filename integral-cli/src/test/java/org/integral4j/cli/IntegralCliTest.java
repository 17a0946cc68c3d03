package org.integral4j.cli;

import static org.integral4j.cli.TestModels.CNN;
import static org.integral4j.cli.TestModels.input;
import static org.integral4j.cli.TestModels.output;
import static org.integral4j.cli.TestModels.relativeError;
import static org.integral4j.cli.TestModels.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.cli.TestModels.Result;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link IntegralCli} end to end in this JVM on a small saved MultiLayerNetwork and
 * ComputationGraph: generated help, info, resize by ratio and by group with the written files
 * checked against the integral model, --force, and usage errors with their exit status. The bad
 * inputs are in {@link BadInputTest}; the executable jar in {@link CliJarIT}.
 */
class IntegralCliTest {

    @TempDir
    static File dir;

    private static File mlnFile;
    private static File graphFile;
    private static MultiLayerNetwork mln;
    private static List<String> mlnGroups;
    private static List<String> graphGroups;

    @BeforeAll
    static void saveModels() throws IOException {
        mln = TestModels.multiLayerNetwork();
        ComputationGraph graph = TestModels.computationGraph();
        mlnFile = new File(dir, "mln.zip");
        graphFile = new File(dir, "graph.zip");
        ModelSerializer.writeModel(mln, mlnFile, true);
        ModelSerializer.writeModel(graph, graphFile, true);
        IntegralWrapper wrapper = IntegralWrapper.builder().permute(false).build();
        mlnGroups = wrapper.wrapModel(mln).groupNames();
        graphGroups = wrapper.wrapModel(graph).groupNames();
    }

    private static void assertExit(int expected, Result r) {
        assertEquals(expected, r.code(), r.toString());
    }

    @Test
    void helpIsGeneratedForTheProgramAndEachCommand() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            Result r = run(args);
            assertExit(0, r);
            assertTrue(r.out().contains("Usage: java -jar integral4j-cli.jar [-hV] COMMAND"), r.out());
            assertTrue(r.out().contains("info") && r.out().contains("resize") && r.out().contains("Exit status"),
                    r.out());
        }
        for (String[] args : new String[][] {{"help", "resize"}, {"resize", "--help"}, {"resize", "x.zip", "-h"}}) {
            Result r = run(args);
            assertExit(0, r);
            assertTrue(r.out().startsWith("Usage: java -jar integral4j-cli.jar resize"), r.out());
            assertTrue(r.out().contains("--ratio=R") && r.out().contains("--size=GROUP=N")
                    && r.out().contains("--force") && r.out().contains("--stacktrace"), r.out());
        }
        Result info = run("info", "--help");
        assertExit(0, info);
        assertTrue(info.out().contains("--input-type=TYPE") && !info.out().contains("--ratio"), info.out());
        Result version = run("--version");
        assertExit(0, version);
        assertTrue(version.out().startsWith("Integral4J command line"), version.out());

        Result none = run();
        assertExit(2, none);
        assertTrue(none.err().contains("no command given") && none.err().contains("--help"), none.err());
        Result unknown = run("shrink", "a.zip");
        assertExit(2, unknown);
        assertTrue(unknown.err().contains("'shrink'"), unknown.err());
    }

    @Test
    void infoListsTheGroupsOfBothNetworkTypes() {
        Result r = run("info", mlnFile.getPath());
        assertExit(0, r);
        assertTrue(r.out().startsWith(mlnFile.getPath() + ": MultiLayerNetwork"), r.out());
        for (String g : mlnGroups) {
            assertTrue(r.out().contains(g), "group " + g + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("parameters: "), r.out());
        assertTrue(r.out().contains("MACs per example: not counted"), r.out());
        assertEquals("", r.err());

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
        assertTrue(r.out().startsWith(mlnFile.getPath() + ": MultiLayerNetwork"), "the result comes first:\n" + r.out());
        assertTrue(r.out().contains("wrote the plain MultiLayerNetwork"), r.out());
        assertTrue(r.out().matches("(?s).*MACs per example: [0-9,]+ at full size.*"), r.out());
        assertEquals("", r.err());

        MultiLayerNetwork small = ModelSerializer.restoreMultiLayerNetwork(out, false);
        assertTrue(small.numParams() < mln.numParams(), small.numParams() + " < " + mln.numParams());
        // the same conversion in code (default settings are deterministic) at the same sizes
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(mln);
        inn.resize(0.5);
        INDArray x = input();
        assertTrue(relativeError(inn.output(x), output(small, x)) < 1e-5, "written model vs the integral network");
        assertTrue(relativeError(output(inn.toDiscrete(), x), output(small, x)) < 1e-5, "written vs toDiscrete()");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.toPath())), "a new output gets the usual permissions");
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
        assertTrue(relativeError(output(loaded.toDiscrete(), x), output(small, x)) < 1e-5,
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
        assertTrue(relativeError(loaded.output(x), output(small, x)) < 1e-5, "written graph vs the integral network");

        // the integral model as input: resize another group, the earlier one keeps its size
        String first = graphGroups.get(0);
        File out2 = new File(dir, "graph-smaller.zip");
        File inn2 = new File(dir, "graph-inn2.zip");
        Result again = run("resize", inn.getPath(), "--size", first + "=3", "--out", out2.getPath(), "--integral",
                inn2.getPath(), "--no-permute");
        assertExit(0, again);
        assertTrue(again.out().contains("integral model"), again.out());
        assertTrue(again.err().contains("--no-permute only apply to conversion and are ignored"), again.err());
        IntegralModel twice = IntegralModel.load(inn2);
        assertEquals(Map.of(first, 3, group, 4), Map.of(first, twice.size(first), group, twice.size(group)));
        ComputationGraph smaller = ModelSerializer.restoreComputationGraph(out2, false);
        assertTrue(smaller.numParams() < small.numParams(), smaller.numParams() + " < " + small.numParams());
        assertTrue(relativeError(output(twice.toDiscrete(), x), output(smaller, x)) < 1e-5,
                "second resize vs its integral model");
    }

    @Test
    void forceReplacesAnExistingOutputButNeverTheInput() throws IOException {
        File out = new File(dir, "existing.zip");
        Files.writeString(out.toPath(), "an older file");
        Result refused = run("resize", mlnFile.getPath(), "--ratio", "0.5", "--out", out.getPath());
        assertExit(2, refused);
        assertTrue(refused.err().contains("exists; give --force"), refused.err());
        assertEquals("an older file", Files.readString(out.toPath()));

        Result forced = run("resize", mlnFile.getPath(), "--ratio", "0.5", "--out", out.getPath(), "--force");
        assertExit(0, forced);
        assertTrue(ModelSerializer.restoreMultiLayerNetwork(out, false).numParams() < mln.numParams());
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsValid() {
        String out = new File(dir, "never.zip").getPath();
        Result unknownOption = run("info", mlnFile.getPath(), "--fast");
        assertExit(2, unknownOption);
        assertTrue(unknownOption.err().contains("--fast") && unknownOption.err().contains("--help"),
                unknownOption.err());

        Result unknownGroup = run("resize", mlnFile.getPath(), "--size", "conv9.out=3", "--out", out);
        assertExit(2, unknownGroup);
        for (String g : mlnGroups) {
            assertTrue(unknownGroup.err().contains(g), "valid group " + g + " listed:\n" + unknownGroup.err());
        }
        assertExit(2, run("resize", mlnFile.getPath(), "--out", out));
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5"));
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5", "--out"));
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5", "--ratio", "0.7", "--out", out));
        assertExit(2, run("resize", mlnFile.getPath(), "--size", "fc1.out", "--out", out));
        Result twice = run("resize", mlnFile.getPath(), "--size", "fc1.out=3", "--size", "fc1.out=4", "--out", out);
        assertExit(2, twice);
        assertTrue(twice.err().contains("more than once"), twice.err());
        assertExit(2, run("resize", mlnFile.getPath(), "--ratio", "0.5", "--seed", "1.5", "--out", out));
        assertExit(2, run("info"));
        assertExit(2, run("info", mlnFile.getPath(), graphFile.getPath()));
        assertExit(2, run("info", mlnFile.getPath(), "--input-type", "cnn:8x8"));
        assertExit(2, run("info", mlnFile.getPath(), "--input-type", CNN, "--input-type", CNN));
        assertFalse(new File(out).exists());
    }
}
