package org.integral4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.cli.TestModels.Result;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The command line on bad input: every case asserts the exit status, the message, that every
 * file in the working directory (inputs included) has the same SHA-256 afterwards, and that no
 * output or temporary file was left behind.
 *
 * <p>Paths in the cases use {@code @IN@} (the directory of the input files, which also holds a
 * symbolic link to the model and an existing file) and {@code @OUT@} (an empty output directory).
 */
class BadInputTest {

    private static final String ENTRY = IntegralModel.FILE_ENTRY;
    private static final ObjectMapper JSON = new ObjectMapper();

    @org.junit.jupiter.api.io.TempDir
    static Path root;
    private static Path in;
    private static Path out;
    /** A directory no file can be created in (for root: a directory of /proc). */
    private static Path unwritable;

    @BeforeAll
    static void files() throws IOException {
        in = Files.createDirectories(root.resolve("in"));
        out = Files.createDirectories(root.resolve("out"));
        MultiLayerNetwork net = TestModels.multiLayerNetwork();
        Path model = in.resolve("model.zip");
        ModelSerializer.writeModel(net, model.toFile(), true);
        Files.createSymbolicLink(in.resolve("link.zip"), model);
        Files.writeString(in.resolve("existing.zip"), "an earlier output");

        Files.write(in.resolve("empty.zip"), new byte[0]);
        Files.writeString(in.resolve("text.zip"), "this is a text file, not a model\n");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(in.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length / 2));
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        Files.write(in.resolve("random.zip"), random);
        TestModels.withEntry(model, in.resolve("bad-configuration.zip"), "configuration.json",
                "{\"confs\": [ {\"layer\": ".getBytes(StandardCharsets.UTF_8));
        byte[] coefficients = TestModels.entry(model, "coefficients.bin");
        TestModels.withEntry(model, in.resolve("bad-coefficients.zip"), "coefficients.bin",
                Arrays.copyOf(coefficients, coefficients.length / 3));

        MultiLayerNetwork nan = TestModels.multiLayerNetwork();
        nan.getLayer(3).getParam("W").putScalar(5, Double.NaN);
        ModelSerializer.writeModel(nan, in.resolve("nan.zip").toFile(), true);

        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(net);
        inn.resize(0.5);
        Path integral = root.resolve("integral.zip");
        inn.save(integral.toFile());
        String description = new String(TestModels.entry(integral, ENTRY), StandardCharsets.UTF_8);
        TestModels.withEntry(integral, in.resolve("inn-garbage.zip"), ENTRY, Arrays.copyOf(random, 500));
        TestModels.withEntry(integral, in.resolve("inn-badjson.zip"), ENTRY,
                description.substring(0, description.length() / 2).getBytes(StandardCharsets.UTF_8));
        TestModels.withEntry(integral, in.resolve("inn-empty-object.zip"), ENTRY, "{}".getBytes(StandardCharsets.UTF_8));
        ObjectNode edited = (ObjectNode) JSON.readTree(description);
        ((ObjectNode) edited.get("groups").get(0)).put("size", 40);
        TestModels.withEntry(integral, in.resolve("inn-size.zip"), ENTRY, JSON.writeValueAsBytes(edited));
        edited = (ObjectNode) JSON.readTree(description);
        ((ObjectNode) edited.get("groups").get(1)).put("fullSize", 4);
        ((ObjectNode) edited.get("groups").get(1)).put("size", 4);
        TestModels.withEntry(integral, in.resolve("inn-fullsize.zip"), ENTRY, JSON.writeValueAsBytes(edited));
        Files.delete(integral);

        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        unwritable = locked;
        try {
            Files.delete(Files.createTempFile(locked, "probe", ".tmp"));
            unwritable = Path.of("/proc"); // running as root: permission bits do not stop us
        } catch (IOException e) {
            // the permission bits hold: use the locked directory
        }
    }

    /** The working-directory-relative path of a file, through "..": e.g. ./../../tmp/junit1/in/model.zip. */
    private static String relative(Path p) {
        return "." + java.io.File.separator + Path.of("").toAbsolutePath().relativize(p.toAbsolutePath());
    }

    private static String[] args(String spec) {
        List<String> a = new ArrayList<>();
        for (String s : spec.split(" ")) {
            a.add(s.replace("@IN@", in.toString()).replace("@OUT@", out.toString())
                    .replace("@REL@", relative(in)).replace("@LOCKED@", unwritable.toString()));
        }
        return a.toArray(new String[0]);
    }

    static Stream<Arguments> cases() {
        String resize = "resize @IN@/%s --ratio 0.5 --out @OUT@/small.zip";
        String model = "resize @IN@/model.zip ";
        return Stream.of(
                // files that are not (intact) models
                Arguments.of("missing file", String.format(resize, "missing.zip"), 1,
                        new String[] {"no such file", "missing.zip"}),
                Arguments.of("empty file", String.format(resize, "empty.zip"), 1,
                        new String[] {"empty.zip", "not a zip archive"}),
                Arguments.of("text file", String.format(resize, "text.zip"), 1,
                        new String[] {"text.zip", "not a zip archive"}),
                Arguments.of("truncated zip", String.format(resize, "truncated.zip"), 1,
                        new String[] {"truncated.zip", "not a zip archive", "truncated"}),
                Arguments.of("random bytes", String.format(resize, "random.zip"), 1,
                        new String[] {"random.zip", "not a zip archive"}),
                Arguments.of("damaged configuration", String.format(resize, "bad-configuration.zip"), 1,
                        new String[] {"configuration.json entry", "not valid JSON"}),
                Arguments.of("damaged coefficients", String.format(resize, "bad-coefficients.zip"), 1,
                        new String[] {"cannot restore the MultiLayerNetwork", "coefficients.bin"}),
                Arguments.of("integral entry: garbage", String.format(resize, "inn-garbage.zip"), 1,
                        new String[] {"inn-garbage.zip, entry " + ENTRY}),
                Arguments.of("integral entry: bad JSON", String.format(resize, "inn-badjson.zip"), 1,
                        new String[] {"entry " + ENTRY + ": is not valid JSON"}),
                Arguments.of("integral entry: {}", String.format(resize, "inn-empty-object.zip"), 1,
                        new String[] {"entry " + ENTRY + ": field 'format' is missing"}),
                Arguments.of("integral entry: size edited", String.format(resize, "inn-size.zip"), 1,
                        new String[] {"field 'groups[0].size' is 40"}),
                Arguments.of("integral entry: full size edited", String.format(resize, "inn-fullsize.zip"), 1,
                        new String[] {"field 'groups[1].fullSize' is 4 but the integral layers' parameters have 8"}),
                Arguments.of("info on a damaged integral entry", "info @IN@/inn-badjson.zip", 1,
                        new String[] {"entry " + ENTRY + ": is not valid JSON"}),
                // ratios
                Arguments.of("ratio 0", model + "--ratio 0 --out @OUT@/s.zip", 2, new String[] {"--ratio", "(0, 1]"}),
                Arguments.of("ratio -1", model + "--ratio -1 --out @OUT@/s.zip", 2, new String[] {"--ratio", "(0, 1]"}),
                Arguments.of("ratio 1.5", model + "--ratio 1.5 --out @OUT@/s.zip", 2, new String[] {"'1.5'", "(0, 1]"}),
                Arguments.of("ratio NaN", model + "--ratio NaN --out @OUT@/s.zip", 2,
                        new String[] {"'NaN' is not a decimal number", "(0, 1]"}),
                Arguments.of("ratio Infinity", model + "--ratio Infinity --out @OUT@/s.zip", 2,
                        new String[] {"'Infinity' is not a decimal number"}),
                Arguments.of("ratio abc", model + "--ratio abc --out @OUT@/s.zip", 2,
                        new String[] {"'abc' is not a decimal number"}),
                Arguments.of("ratio 0x1p-1", model + "--ratio 0x1p-1 --out @OUT@/s.zip", 2,
                        new String[] {"'0x1p-1' is not a decimal number"}),
                // groups and sizes
                Arguments.of("unknown group", model + "--size conv9.out=4 --out @OUT@/s.zip", 2,
                        new String[] {"unknown group 'conv9.out'", "conv1.out (2..6)", "fc1.out (2..10)"}),
                Arguments.of("size 0", model + "--size conv2.out=0 --out @OUT@/s.zip", 2,
                        new String[] {"group 'conv2.out' takes 2 to 8 channels", "got 0"}),
                Arguments.of("size 1", model + "--size conv2.out=1 --out @OUT@/s.zip", 2,
                        new String[] {"group 'conv2.out' takes 2 to 8 channels", "got 1"}),
                Arguments.of("size above full", model + "--size conv2.out=9 --out @OUT@/s.zip", 2,
                        new String[] {"takes 2 to 8 channels", "got 9", "cannot grow"}),
                Arguments.of("size above int range", model + "--size conv2.out=99999999999 --out @OUT@/s.zip", 2,
                        new String[] {"99999999999 channels is out of range"}),
                Arguments.of("size on an integral model", "resize @IN@/model.zip --size fc1.out=11 --out @OUT@/s.zip",
                        2, new String[] {"takes 2 to 10"}),
                // outputs
                Arguments.of("output is the input", model + "--ratio 0.5 --out @IN@/model.zip --force", 2,
                        new String[] {"is the input model file", "never overwritten"}),
                Arguments.of("output is the input, relative", model + "--ratio 0.5 --out @REL@/../in/model.zip --force",
                        2, new String[] {"is the input model file"}),
                Arguments.of("output is a link to the input", model + "--ratio 0.5 --out @IN@/link.zip --force", 2,
                        new String[] {"is the input model file"}),
                Arguments.of("input through a link, output the file", "resize @IN@/link.zip --ratio 0.5 --out"
                        + " @IN@/model.zip --force", 2, new String[] {"is the input model file"}),
                Arguments.of("integral output is the input", model + "--ratio 0.5 --out @OUT@/s.zip --integral"
                        + " @IN@/./model.zip --force", 2, new String[] {"--integral", "is the input model file"}),
                Arguments.of("both outputs one file", model + "--ratio 0.5 --out @OUT@/s.zip --integral"
                        + " @OUT@/../out/s.zip", 2, new String[] {"--out", "--integral", "are the same file"}),
                Arguments.of("existing output without --force", model + "--ratio 0.5 --out @IN@/existing.zip", 2,
                        new String[] {"exists; give --force"}),
                Arguments.of("output is a directory", model + "--ratio 0.5 --out @OUT@", 2,
                        new String[] {"is a directory"}),
                Arguments.of("output directory missing", model + "--ratio 0.5 --out @OUT@/nope/s.zip", 1,
                        new String[] {"does not exist"}),
                Arguments.of("unwritable directory", model + "--ratio 0.5 --out @OUT@/s.zip --integral"
                        + " @LOCKED@/inn.zip", 1, new String[] {"cannot write --integral", "does not take new files"}),
                // the model itself
                Arguments.of("NaN weight", "resize @IN@/nan.zip --ratio 0.5 --out @OUT@/s.zip", 1,
                        new String[] {"layer 'conv2', parameter 'W'", "1 NaN"}),
                Arguments.of("NaN weight, existing output forced", "resize @IN@/nan.zip --ratio 0.5 --out"
                        + " @IN@/existing.zip --force", 1, new String[] {"layer 'conv2', parameter 'W'"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithoutTouchingAnyFile(String name, String spec, int exit, String[] fragments) throws IOException {
        Map<String, String> before = TestModels.snapshot(root);
        Result r = TestModels.run(args(spec));
        assertEquals(exit, r.code(), name + ": exit status\n" + r);
        assertTrue(r.err().startsWith("error: "), name + ": the error comes first\n" + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), name + ": '" + f + "' in the message\n" + r);
        }
        assertFalse(r.err().contains("\tat "), name + ": no stack trace without --stacktrace\n" + r);
        assertEquals("", r.out(), name + ": no result printed\n" + r);
        assertEquals(before, TestModels.snapshot(root), name + ": files unchanged, nothing left behind");
    }

    @Test
    void theStackTraceIsShownOnRequestAndTheTraceStillLeavesNoFile() throws IOException {
        Map<String, String> before = TestModels.snapshot(root);
        Result r = TestModels.run(args("resize @IN@/inn-badjson.zip --ratio 0.5 --out @OUT@/s.zip --stacktrace"));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("IntegralModelFileException") && r.err().contains("\tat "), r.toString());
        assertEquals(before, TestModels.snapshot(root));
    }
}
