package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Integral model files: where the entry is stored, atomic saving, the legacy encoding, and one
 * {@link IntegralModelFileException} naming the entry and the field for every kind of damage.
 */
class IntegralModelFileTest {

    private static final String ENTRY = "objects/integral4j/model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static File good;
    private static String description;

    @BeforeAll
    static void save() throws IOException {
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(Topologies.sequential());
        inn.resize(0.5);
        good = dir.resolve("inn.zip").toFile();
        inn.save(good);
        description = new String(entryBytes(good, ENTRY), StandardCharsets.UTF_8);
    }

    private static byte[] entryBytes(File zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip)) {
            ZipEntry e = z.getEntry(name);
            if (e == null) {
                return null;
            }
            try (InputStream in = z.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }

    /** A copy of the good file with one entry replaced (null bytes: removed). */
    private static File withEntry(String fileName, String entry, byte[] bytes) throws IOException {
        File out = dir.resolve(fileName).toFile();
        try (ZipFile in = new ZipFile(good); OutputStream os = Files.newOutputStream(out.toPath());
             ZipOutputStream zip = new ZipOutputStream(os)) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.getName().equals(entry)) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    is.transferTo(zip);
                }
            }
            if (bytes != null) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(bytes);
            }
        }
        return out;
    }

    private static File withDescription(String fileName, UnaryOperator<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(description);
        return withEntry(fileName, ENTRY, JSON.writeValueAsBytes(edit.apply(root)));
    }

    private static IntegralModelFileException damaged(File f, String... fragments) {
        IntegralModelFileException e = assertThrows(IntegralModelFileException.class, () -> IntegralModel.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void theEntryIsStoredUnderObjectsAsUtf8JsonAndSavingLeavesNoTemporaryFile() throws IOException {
        assertEquals(ENTRY, IntegralModel.FILE_ENTRY);
        assertTrue(description.startsWith("{") && description.contains("\"format\":\"integral4j-model\""),
                description.substring(0, 60));
        assertTrue(IntegralModel.isIntegralModelFile(good));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(good.toPath())), "the usual permissions of a new file");
        // the network entries are DL4J's own: ModelSerializer reads the file as a plain integral network
        assertEquals(IntegralModel.load(good).network().numParams(),
                ModelSerializer.restoreMultiLayerNetwork(good, false).numParams());
    }

    @Test
    void filesOfEarlierVersionsWithAJavaSerialisedEntryStillLoad() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(description);
        }
        File legacy = withEntry("legacy.zip", ENTRY, bytes.toByteArray());
        IntegralModel a = IntegralModel.load(good);
        IntegralModel b = IntegralModel.load(legacy);
        assertEquals(a.sizes(), b.sizes());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 10, 10);
        assertTrue(a.output(x).equalsWithEps(b.output(x), 0.0));

        // a serialised object that is not a string is refused without being instantiated
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(other)) {
            out.writeObject(new java.util.ArrayList<>(java.util.List.of("x")));
        }
        damaged(withEntry("legacy-list.zip", ENTRY, other.toByteArray()), "entry " + ENTRY,
                "neither JSON nor a serialised string");
    }

    @Test
    void aDamagedEntryIsReportedWithItsNameAndWhatIsWrong() throws IOException {
        byte[] garbage = new byte[300];
        new Random(1).nextBytes(garbage);
        File g = withEntry("garbage.zip", ENTRY, garbage);
        assertTrue(IntegralModel.isIntegralModelFile(g), "the entry is there, damaged or not");
        IntegralModelFileException e = damaged(g, "entry " + ENTRY);
        assertFalse(e.getMessage().contains("plain"), e.getMessage());
        assertEquals(ENTRY, e.entry());

        damaged(withEntry("badjson.zip", ENTRY, "{\"format\": \"integral4j-model\", \"groups\": [".getBytes(
                StandardCharsets.UTF_8)), "entry " + ENTRY + ": is not valid JSON at line 1");
        damaged(withEntry("empty-object.zip", ENTRY, "{}".getBytes(StandardCharsets.UTF_8)),
                "field 'format' is missing");
        damaged(withEntry("empty.zip", ENTRY, new byte[0]), "is empty");
        damaged(withEntry("array.zip", ENTRY, "[1, 2]".getBytes(StandardCharsets.UTF_8)), "not an object");
        damaged(withDescription("version.zip", r -> r.put("version", 7)), "field 'version' is 7");
        damaged(withDescription("no-nodes.zip", r -> {
            r.remove("nodes");
            return r;
        }), "field 'nodes' is missing");
        damaged(withDescription("type.zip", r -> r.put("networkType", "ComputationGraph")),
                "field 'networkType' is 'ComputationGraph' but configuration.json holds a MultiLayerNetwork");
        damaged(withDescription("source.zip", r -> r.put("sourceConfiguration", "{\"confs\": 3}")),
                "field 'sourceConfiguration' is not a DL4J MultiLayerNetwork configuration");
        damaged(withDescription("kind.zip", r -> {
            ((ObjectNode) r.get("nodes").get(1)).put("layerKind", "TRANSFORMER");
            return r;
        }), "field 'nodes[1].layerKind' is 'TRANSFORMER', expected one of");
        damaged(withDescription("group-ref.zip", r -> {
            ((ObjectNode) r.get("nodes").get(1)).put("outGroup", "conv7.out");
            return r;
        }), "field 'nodes[1].outGroup' names group 'conv7.out'");
    }

    @Test
    void editedSizesThatDoNotMatchTheParametersAreReported() throws IOException {
        damaged(withDescription("size-big.zip", r -> {
            ((ObjectNode) r.get("groups").get(0)).put("size", 40);
            return r;
        }), "field 'groups[0].size' is 40", "takes 2 to 8");
        damaged(withDescription("size-text.zip", r -> {
            ((ObjectNode) r.get("groups").get(0)).put("size", "four");
            return r;
        }), "field 'groups[0].size' is \"four\", expected a whole number");
        damaged(withDescription("full-size.zip", r -> {
            ((ObjectNode) r.get("groups").get(1)).put("fullSize", 16);
            return r;
        }), "field 'groups[1].fullSize' is 16 but the integral layers' parameters have 7 channels");
        damaged(withDescription("missing-group.zip", r -> {
            ((ArrayNode) r.get("groups")).remove(2);
            return r;
        }), "names group 'fc1.out'");
        damaged(withDescription("points.zip", r -> {
            ObjectNode t = ((ObjectNode) r.get("groups").get(0)).putObject("trainable");
            t.put("endpoints", "PINNED");
            t.putArray("points").add(-1.0).add(1.0);
            return r;
        }), "field 'groups[0].trainable.points' has 2 points but the group's size is 4");
    }

    @Test
    void damagedNetworkEntriesAndNonModelsAreReported() throws IOException {
        byte[] coefficients = entryBytes(good, "coefficients.bin");
        byte[] truncated = java.util.Arrays.copyOf(coefficients, coefficients.length / 2);
        damaged(withEntry("coefficients.zip", "coefficients.bin", truncated), "DL4J cannot restore",
                "configuration.json, coefficients.bin");
        damaged(withEntry("configuration.zip", "configuration.json", "{\"confs\": [".getBytes(StandardCharsets.UTF_8)),
                "entry configuration.json: is not valid JSON");
        damaged(withEntry("no-configuration.zip", "configuration.json", null), "not a DL4J model");
        File text = dir.resolve("text.zip").toFile();
        Files.writeString(text.toPath(), "just text");
        damaged(text, "not a zip archive");
        assertFalse(IntegralModel.isIntegralModelFile(text));
        assertFalse(IntegralModel.isIntegralModelFile(dir.resolve("nope.zip").toFile()));
        assertFalse(IntegralModel.isIntegralModelFile(null));
    }
}
