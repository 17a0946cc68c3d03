package org.integral4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
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
 * The executable jar built by this module ({@code integral-cli/target/integral4j-cli.jar}, path
 * from the {@code cli.jar} property Failsafe sets), run with {@code java -jar} and nothing else on
 * the class path: help, info, the README's resize command, reloading the integral model it
 * writes (integral layers deserialised inside the shaded jar), quiet logging, a usage error, and
 * only the Linux x86-64 native builds inside.
 */
class CliJarIT {

    /** The README's command line, after {@code java -jar integral-cli/target/integral4j-cli.jar}. */
    static final String README_RESIZE = "resize model.zip --ratio 0.5 --out small.zip";

    @TempDir
    static Path work;
    private static Path jar;
    private static MultiLayerNetwork source;

    @BeforeAll
    static void model() throws IOException {
        String path = System.getProperty("cli.jar");
        assertTrue(path != null, "the cli.jar property names the jar (set by the module's Failsafe configuration)");
        jar = Path.of(path);
        assertTrue(Files.isRegularFile(jar), "built by the package phase: " + jar);
        source = TestModels.multiLayerNetwork();
        ModelSerializer.writeModel(source, work.resolve("model.zip").toFile(), true);
    }

    /** Runs {@code java -jar <jar> args} in the work directory with a clean environment for Java. */
    private static Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("CLASSPATH");
        File out = Files.createTempFile(work, "stdout", ".txt").toFile();
        File err = Files.createTempFile(work, "stderr", ".txt").toFile();
        pb.redirectOutput(out).redirectError(err);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        Result r = new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
        Files.delete(out.toPath());
        Files.delete(err.toPath());
        return r;
    }

    @Test
    void helpAndVersion() throws Exception {
        Result help = java("--help");
        assertEquals(0, help.code(), help.toString());
        assertTrue(help.out().startsWith("Usage: java -jar integral4j-cli.jar"), help.toString());
        assertEquals("", help.err());
        Result resize = java("resize", "--help");
        assertEquals(0, resize.code(), resize.toString());
        assertTrue(resize.out().contains("--ratio=R"), resize.toString());
        Result version = java("--version");
        assertTrue(version.out().matches("Integral4J command line [0-9][^\\s]*\\s*"), version.toString());
    }

    @Test
    void infoResizeAndReloadingTheIntegralModelWorkFromTheJar() throws Exception {
        Result info = java("info", "model.zip", "--input-type", TestModels.CNN);
        assertEquals(0, info.code(), info.toString());
        assertTrue(info.out().startsWith("model.zip: MultiLayerNetwork"), "the result comes first:\n" + info);
        assertTrue(info.out().contains("MACs per example: "), info.toString());
        assertEquals("", info.err(), "quiet: no ND4J start-up log without --verbose");

        Result resize = java(README_RESIZE.split(" "));
        assertEquals(0, resize.code(), resize.toString());
        assertTrue(resize.out().startsWith("model.zip: MultiLayerNetwork"), resize.toString());
        assertTrue(resize.out().contains("wrote the plain MultiLayerNetwork"), resize.toString());
        assertEquals("", resize.err(), resize.toString());
        MultiLayerNetwork small = ModelSerializer.restoreMultiLayerNetwork(work.resolve("small.zip").toFile(), false);
        assertTrue(small.numParams() < source.numParams(), small.numParams() + " < " + source.numParams());
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(source);
        inn.resize(0.5);
        INDArray x = TestModels.input();
        assertTrue(TestModels.relativeError(inn.output(x), TestModels.output(small, x)) < 1e-5,
                "the jar's small network equals the library's conversion at ratio 0.5");

        Result withIntegral = java("resize", "model.zip", "--size", "conv2.out=5", "--out", "small2.zip",
                "--integral", "inn.zip");
        assertEquals(0, withIntegral.code(), withIntegral.toString());
        Result reload = java("info", "inn.zip");
        assertEquals(0, reload.code(), reload.toString());
        assertTrue(reload.out().startsWith("inn.zip: integral model (MultiLayerNetwork)"), reload.toString());
        assertTrue(Pattern.compile("conv2\\.out\\s+5\\s+8").matcher(reload.out()).find(), reload.toString());
        Result again = java("resize", "inn.zip", "--ratio", "0.25", "--out", "smaller.zip");
        assertEquals(0, again.code(), again.toString());
        MultiLayerNetwork small2 = ModelSerializer.restoreMultiLayerNetwork(work.resolve("small2.zip").toFile(), false);
        MultiLayerNetwork smaller = ModelSerializer.restoreMultiLayerNetwork(work.resolve("smaller.zip").toFile(),
                false);
        assertTrue(smaller.numParams() < small2.numParams(), smaller.numParams() + " < " + small2.numParams());
        assertEquals(Map.of("conv1.out", 6, "conv2.out", 5, "fc1.out", 10),
                IntegralModel.load(work.resolve("inn.zip").toFile()).sizes(), "the integral file is not changed");
    }

    @Test
    void verboseShowsTheStartUpLogAndErrorsComeFirst() throws Exception {
        Result verbose = java("info", "model.zip", "--verbose");
        assertEquals(0, verbose.code(), verbose.toString());
        assertTrue(verbose.err().contains("INFO org.nd4j"), "ND4J's start-up log with --verbose:\n" + verbose);

        String before = TestModels.sha256(work.resolve("model.zip"));
        Result same = java("resize", "model.zip", "--ratio", "0.5", "--out", "./../" + work.getFileName()
                + "/model.zip", "--force");
        assertEquals(2, same.code(), same.toString());
        assertTrue(same.err().startsWith("error: --out ") && same.err().contains("is the input model file"),
                same.toString());
        assertEquals("", same.out());
        assertEquals(before, TestModels.sha256(work.resolve("model.zip")));
    }

    @Test
    void theJarHoldsTheLinuxX8664NativeBuildsOnly() throws IOException {
        Pattern natives = Pattern.compile("org/(nd4j|bytedeco)/.*/(windows|macosx|android|ios|linux-arm|linux-ppc"
                + "|linux-x86/)[^/]*/.*");
        List<String> foreign = new ArrayList<>();
        boolean backend = false;
        boolean services = false;
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (java.util.zip.ZipEntry e : z.stream().map(java.util.zip.ZipEntry.class::cast).toList()) {
                if (natives.matcher(e.getName()).matches()) {
                    foreign.add(e.getName());
                }
                backend |= e.getName().endsWith("linux-x86_64-onednn-avx2/libnd4jcpu.so");
                if (e.getName().equals("META-INF/services/org.nd4j.linalg.factory.Nd4jBackend")) {
                    services = new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8)
                            .contains("CpuBackend");
                }
            }
        }
        assertTrue(foreign.isEmpty(), "native builds of other platforms: " + foreign);
        assertTrue(backend, "the oneDNN/AVX2 build of libnd4j is inside");
        assertTrue(services, "the merged service file names the CPU backend");
        assertFalse(Files.exists(jar.resolveSibling("dependency-reduced-pom.xml")));
    }
}
