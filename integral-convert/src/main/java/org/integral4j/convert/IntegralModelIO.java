package org.integral4j.convert;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.kinds.InputBlocks;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jConfiguration;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkType;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.GridFamily;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.CompositeChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.integral4j.layers.io.FastModelRestore;
import org.integral4j.util.Checks;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The file format of {@link IntegralModel}: DL4J's {@code ModelSerializer} zip of the integral
 * network ({@code configuration.json}, {@code coefficients.bin}, {@code updaterState.bin}) with one
 * more entry, {@value #ENTRY}: a UTF-8 JSON document holding the channel groups (sizes,
 * distributions, trainable points), the source configuration and the conversion records. The entry
 * sits where DL4J's {@code ModelSerializer.addObjectToFile} puts objects (under {@code objects/});
 * files written by earlier versions hold the same JSON as a Java-serialised string there, which
 * {@link #load} still reads (accepting nothing but a string).
 *
 * <p>{@link #load} checks the entry completely before building anything from it and reports every
 * problem as an {@link IntegralModelFileException} naming the entry, the JSON field and what is
 * wrong; group sizes are checked against the integral layers' parameters.
 */
final class IntegralModelIO {

    /** The entry as stored in the zip. */
    static final String ENTRY = "objects/integral4j/model.json";
    /**
     * The format version written. Version 2 names a multi-layer network's integral layers by node
     * name, as graphs always did; version 1 (read too) named them by index.
     */
    static final int VERSION = 2;
    /** The value of the {@code format} field. */
    private static final String FORMAT = "integral4j-model";
    /** Larger entries are rejected as damaged (a description is a few kB to a few MB). */
    private static final long MAX_ENTRY_BYTES = 256L << 20;
    private static final String MULTI_LAYER = NetworkType.MULTI_LAYER.displayName();
    private static final String GRAPH = NetworkType.GRAPH.displayName();
    private static final String DL4J_ENTRIES = ModelSerializer.CONFIGURATION_JSON + ", "
            + ModelSerializer.COEFFICIENTS_BIN;

    private static final ObjectMapper JSON = new ObjectMapper();

    private IntegralModelIO() {
    }

    // ------------------------------------------------------------------------------------ save

    static void save(IntegralModel model, File file) throws IOException {
        Checks.requireNonNull("IntegralModel.save", "file", file);
        byte[] description = JSON.writeValueAsString(describe(model)).getBytes(StandardCharsets.UTF_8);
        Path target = file.toPath().toAbsolutePath();
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        Path network = Files.createTempFile(dir, prefix, ".net.tmp");
        Path complete = null;
        try {
            ModelSerializer.writeModel(model.network(), network.toFile(), true);
            complete = Files.createTempFile(dir, prefix, ".tmp");
            try (ZipFile in = new ZipFile(network.toFile());
                 OutputStream os = new BufferedOutputStream(Files.newOutputStream(complete));
                 ZipOutputStream out = new ZipOutputStream(os)) {
                Enumeration<? extends ZipEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new ZipEntry(ENTRY));
                out.write(description);
                out.closeEntry();
            }
            keepPermissions(target, complete);
            moveIntoPlace(complete, target);
        } finally {
            Files.deleteIfExists(network);
            if (complete != null) {
                Files.deleteIfExists(complete);
            }
        }
    }

    /**
     * Gives the finished temporary file (created owner-only) the permissions of the file it
     * replaces, or rw-r--r-- for a new file, where the file system has POSIX permissions.
     */
    private static void keepPermissions(Path target, Path temporary) {
        try {
            Files.setPosixFilePermissions(temporary, Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
    }

    private static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static ObjectNode describe(IntegralModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("networkType", model.dl4jNetwork().type().displayName());
        root.put("sourceConfiguration", model.sourceConfiguration().toJson());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeRecord r : model.records()) {
            ObjectNode n = nodes.addObject();
            n.put("name", r.name());
            n.put("nodeKind", r.nodeKind().name());
            n.put("layerKind", r.kind().id());
            n.put("inGroup", r.inGroup());
            n.put("outGroup", r.outGroup());
            n.put("fusedInto", r.fusedInto());
            n.put("receivesBatchNorm", r.receivesBatchNorm());
            n.put("inBlock", r.inBlocks().featuresPerChannel());
            n.put("channelsLast", r.inBlocks().channelsLast());
            ArrayNode layers = n.putArray("integralLayers");
            r.integralLayers().forEach(layers::add);
        }
        ArrayNode groups = root.putArray("groups");
        for (ChannelGroup g : model.groups().all()) {
            ObjectNode n = groups.addObject();
            n.put("name", g.name());
            n.put("fullSize", g.fullSize());
            if (g instanceof CompositeChannelGroup c) {
                n.put("type", "composite");
                ArrayNode parts = n.putArray("parts");
                c.parts().forEach(p -> parts.add(p.name()));
                continue;
            }
            n.put("type", g instanceof PartitionedChannelGroup ? "partitioned" : "simple");
            if (g instanceof PartitionedChannelGroup p) {
                n.put("parts", p.parts());
            }
            n.put("family", g.family().name());
            n.put("size", g.size());
            SizeDistribution d = g.distribution();
            if (d != null) {
                ObjectNode dn = n.putObject("distribution");
                if (d instanceof SizeDistribution.Uniform) {
                    dn.put("kind", "uniform");
                } else if (d instanceof SizeDistribution.HalfNormal) {
                    dn.put("kind", "halfNormal");
                } else {
                    throw new IllegalArgumentException("group '" + g.name() + "': the size distribution " + d
                            + " cannot be saved; use SizeDistribution.uniform or SizeDistribution.normal.");
                }
                dn.put("min", d.min());
                dn.put("max", d.max());
            }
            if (g.isTrainable()) {
                ObjectNode t = n.putObject("trainable");
                t.put("endpoints", g.trainableGrid().endpoints().name());
                ArrayNode pts = t.putArray("points");
                for (double x : g.trainableGrid().current().points()) {
                    pts.add(x);
                }
            }
        }
        return root;
    }

    // ------------------------------------------------------------------------------------ load

    /**
     * Whether a file is a zip archive with the Integral4J entry. Never throws.
     *
     * @param file the file, may be null
     * @return true when the entry is there (intact or not)
     */
    static boolean hasEntry(File file) {
        if (file == null || !file.isFile()) {
            return false;
        }
        try (ZipFile zip = new ZipFile(file)) {
            return zip.getEntry(ENTRY) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The model description entry and the kind of DL4J configuration beside it.
     *
     * @param bytes              the entry's bytes (at most {@code MAX_ENTRY_BYTES + 1})
     * @param graphConfiguration whether the DL4J configuration is a graph's
     */
    private record EntryRead(byte[] bytes, boolean graphConfiguration) {
    }

    /** Reads the description entry of a model file, with the errors that say what the file is instead. */
    private static EntryRead readEntry(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry conf = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (conf == null) {
                throw new IntegralModelFileException(file, null, "a zip archive but not a DL4J model: it has no "
                        + ModelSerializer.CONFIGURATION_JSON + " entry. Save integral models with IntegralModel.save.",
                        null);
            }
            ZipEntry entry = zip.getEntry(ENTRY);
            if (entry == null) {
                throw new IntegralModelFileException(file, ENTRY, "missing: the file is a plain DL4J network, not an"
                        + " integral model. Load it with ModelSerializer.restoreMultiLayerNetwork or"
                        + " restoreComputationGraph and convert it with IntegralWrapper.", null);
            }
            if (entry.getSize() > MAX_ENTRY_BYTES) {
                throw new IntegralModelFileException(file, ENTRY, "is " + entry.getSize() + " bytes, more than a model"
                        + " description can be (at most " + MAX_ENTRY_BYTES + ").", null);
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
            } catch (ZipException e) {
                throw new IntegralModelFileException(file, ENTRY, "cannot be decompressed (" + e.getMessage()
                        + "): the file is damaged.", e);
            }
            return new EntryRead(bytes, isGraphConfiguration(file, zip, conf));
        } catch (ZipException e) {
            throw new IntegralModelFileException(file, null, "not a zip archive (" + e.getMessage() + "): the file is"
                    + " corrupt, truncated or not a model file.", e);
        }
    }

    static IntegralModel load(File file, LayerRegistry registry) throws IOException {
        Checks.requireNonNull("IntegralModel.load", "file", file);
        if (!file.isFile()) {
            throw new NoSuchFileException(file.getPath(), null, file.exists() ? "a directory, not a model file"
                    : "no such file");
        }
        EntryRead entry = readEntry(file);
        byte[] bytes = entry.bytes();
        boolean graphConfiguration = entry.graphConfiguration();
        Fields f = new Fields(file);
        JsonNode root = parse(file, text(file, bytes));
        if (!root.isObject()) {
            throw f.damaged("", "is JSON but not an object: " + abbreviate(root.toString()) + ".");
        }
        String format = f.text(root, "format");
        if (!FORMAT.equals(format)) {
            throw f.damaged("format", "is '" + format + "', expected '" + FORMAT + "': not an Integral4J model"
                    + " description.");
        }
        int version = f.integer(root, "version", 0, Integer.MAX_VALUE);
        if (version != VERSION && version != 1) {
            throw f.damaged("version", "is " + version + "; this library reads versions 1 and " + VERSION + ".");
        }
        NetworkType type = networkType(f, root, graphConfiguration);
        Dl4jConfiguration sourceConf = sourceConfiguration(f, root, type);
        List<NodeRecord> records = records(f, root, registry);
        GroupsRead read = groups(f, root);
        checkRecords(f, records, read.groups());

        Dl4jNetwork network = restoreNetwork(file, type);
        checkAgainstParameters(f, network, read);
        if (version == 1 && type == NetworkType.MULTI_LAYER) {
            records = layersByName(f, records, network);
        }
        checkLayerReferences(f, records, network);
        try {
            return IntegralModel.restore(network, read.groups(), records, sourceConf, registry);
        } catch (RuntimeException e) {
            throw new IntegralModelFileException(file, ENTRY, "does not match the network in " + DL4J_ENTRIES + ": "
                    + describe(e), e);
        }
    }

    /** Whether configuration.json describes a graph ("vertices") rather than a multi-layer network ("confs"). */
    private static boolean isGraphConfiguration(File file, ZipFile zip, ZipEntry conf) throws IOException {
        JsonNode root;
        try (InputStream in = zip.getInputStream(conf)) {
            root = JSON.readTree(in);
        } catch (JsonProcessingException | ZipException e) {
            throw new IntegralModelFileException(file, ModelSerializer.CONFIGURATION_JSON, "is not valid JSON ("
                    + describe(e) + "): the file is damaged.", e);
        }
        if (root != null && root.has("vertices")) {
            return true;
        }
        if (root != null && root.has("confs")) {
            return false;
        }
        throw new IntegralModelFileException(file, ModelSerializer.CONFIGURATION_JSON, "describes neither a "
                + MULTI_LAYER + " (no \"confs\" field) nor a " + GRAPH + " (no \"vertices\" field).", null);
    }

    /** The entry's text: UTF-8 JSON, or (files of earlier versions) a Java-serialised string. */
    private static String text(File file, byte[] bytes) throws IntegralModelFileException {
        if (bytes.length > MAX_ENTRY_BYTES) {
            throw new IntegralModelFileException(file, ENTRY, "is larger than a model description can be (more than "
                    + MAX_ENTRY_BYTES + " bytes).", null);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xac && (bytes[1] & 0xff) == 0xed) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.lang.String;maxdepth=1;!*"));
                Object o = in.readObject();
                if (o instanceof String s) {
                    return s;
                }
                throw new IntegralModelFileException(file, ENTRY, "holds a serialised " + o.getClass().getName()
                        + ", expected the JSON description.", null);
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                if (e instanceof IntegralModelFileException ime) {
                    throw ime;
                }
                throw new IntegralModelFileException(file, ENTRY, "is neither JSON nor a serialised string ("
                        + describe(e) + ").", e);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IntegralModelFileException(file, ENTRY, "is not text (not UTF-8): the entry is damaged.", e);
        }
    }

    private static JsonNode parse(File file, String text) throws IntegralModelFileException {
        if (text.isBlank()) {
            throw new IntegralModelFileException(file, ENTRY, "is empty; expected the JSON model description.", null);
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null) {
                throw new IntegralModelFileException(file, ENTRY, "is empty; expected the JSON model description.",
                        null);
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new IntegralModelFileException(file, ENTRY, "is not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The {@code networkType} field, checked against what configuration.json holds. */
    private static NetworkType networkType(Fields f, JsonNode root, boolean graphConfiguration)
            throws IntegralModelFileException {
        String name = f.text(root, "networkType");
        NetworkType type = null;
        for (NetworkType t : NetworkType.values()) {
            if (t.displayName().equals(name)) {
                type = t;
            }
        }
        if (type == null) {
            throw f.damaged("networkType", "is '" + name + "', expected '" + MULTI_LAYER + "' or '" + GRAPH + "'.");
        }
        if ((type == NetworkType.GRAPH) != graphConfiguration) {
            throw f.damaged("networkType", "is '" + name + "' but " + ModelSerializer.CONFIGURATION_JSON
                    + " holds a " + (graphConfiguration ? GRAPH : MULTI_LAYER) + ".");
        }
        return type;
    }

    private static Dl4jNetwork restoreNetwork(File file, NetworkType type) throws IntegralModelFileException {
        try {
            // FastModelRestore reads the same entries as ModelSerializer, 3-4x faster with a fraction of the heap
            return type == NetworkType.GRAPH ? Dl4jNetwork.of(FastModelRestore.restoreComputationGraph(file, true))
                    : Dl4jNetwork.of(FastModelRestore.restoreMultiLayerNetwork(file, true));
        } catch (IOException | RuntimeException e) {
            throw new IntegralModelFileException(file, null, "DL4J cannot restore the integral network from the"
                    + " entries " + DL4J_ENTRIES + ": " + describe(e) + " The file is damaged or was written by an"
                    + " incompatible version.", e);
        }
    }

    private static Dl4jConfiguration sourceConfiguration(Fields f, JsonNode root, NetworkType type)
            throws IntegralModelFileException {
        String json = f.text(root, "sourceConfiguration");
        try {
            return Dl4jConfiguration.fromJson(type, json);
        } catch (RuntimeException e) {
            throw f.damaged("sourceConfiguration", "is not a DL4J " + type.displayName() + " configuration: "
                    + describe(e));
        }
    }

    /**
     * Version 1 named a multi-layer network's integral layers by index: the records with the
     * layers' node names instead.
     */
    private static List<NodeRecord> layersByName(Fields f, List<NodeRecord> records, Dl4jNetwork network)
            throws IntegralModelFileException {
        List<String> layers = new ArrayList<>();
        for (NodeSpec n : network.nodes()) {
            if (n.kind() == NodeSpec.Kind.LAYER) {
                layers.add(n.name());
            }
        }
        List<NodeRecord> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            List<String> names = new ArrayList<>();
            List<String> ids = records.get(i).integralLayers();
            for (int k = 0; k < ids.size(); k++) {
                String id = ids.get(k);
                if (!id.matches("\\d{1,9}") || Integer.parseInt(id) >= layers.size()) {
                    throw f.damaged("nodes[" + i + "].integralLayers[" + k + "]", "is '" + id + "', which is not a"
                            + " layer index of the integral network.");
                }
                names.add(layers.get(Integer.parseInt(id)));
            }
            out.add(records.get(i).withLayers(names));
        }
        return out;
    }

    private static List<NodeRecord> records(Fields f, JsonNode root, LayerRegistry registry)
            throws IntegralModelFileException {
        JsonNode nodes = f.array(root, "nodes");
        List<NodeRecord> records = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Fields n = f.at("nodes[" + i + "]", nodes.get(i));
            JsonNode o = n.node();
            String name = n.text(o, "name");
            if (!names.add(name)) {
                throw n.damaged("name", "'" + name + "' names a second node; node names are unique.");
            }
            List<String> layers = new ArrayList<>();
            JsonNode list = n.array(o, "integralLayers");
            for (int k = 0; k < list.size(); k++) {
                if (!list.get(k).isTextual()) {
                    throw n.damaged("integralLayers[" + k + "]", "is " + abbreviate(list.get(k).toString())
                            + ", expected a layer name or index as a string.");
                }
                layers.add(list.get(k).asText());
            }
            InputBlocks blocks = new InputBlocks(n.integer(o, "inBlock", 1, Integer.MAX_VALUE),
                    n.bool(o, "channelsLast") ? FlattenOrder.INTERLEAVED : FlattenOrder.CHANNEL_BLOCKS);
            records.add(new NodeRecord(name, n.enumValue(o, "nodeKind", NodeSpec.Kind.class),
                    layerKind(n, o, registry), n.textOrNull(o, "inGroup"),
                    n.textOrNull(o, "outGroup"), n.textOrNull(o, "fusedInto"), n.bool(o, "receivesBatchNorm"), blocks,
                    layers));
        }
        return records;
    }

    /** The {@code layerKind} field: a kind of the registry. */
    private static LayerKind layerKind(Fields n, JsonNode o, LayerRegistry registry)
            throws IntegralModelFileException {
        String id = n.text(o, "layerKind");
        Optional<LayerKind> kind = registry.kind(id);
        if (kind.isEmpty()) {
            List<String> ids = new ArrayList<>(List.of(LayerKinds.OTHER.id()));
            registry.kinds().forEach(k -> ids.add(k.id()));
            throw n.damaged("layerKind", "is '" + id + "', expected one of " + ids + " (the kinds of the registry;"
                    + " a model converted with more kinds loads with IntegralModel.load(file, registry)).");
        }
        return kind.get();
    }

    /**
     * The groups read from the entry.
     *
     * @param groups    the groups (sizes, distributions, trainable points applied)
     * @param positions each group's field path, e.g. {@code groups[2]}, for messages
     */
    private record GroupsRead(ChannelGroups groups, Map<String, String> positions) {
    }

    private static GroupsRead groups(Fields f, JsonNode root) throws IntegralModelFileException {
        JsonNode list = f.array(root, "groups");
        ChannelGroups groups = new ChannelGroups(42);
        Map<String, String> positions = new LinkedHashMap<>();
        List<Integer> composites = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Fields n = f.at("groups[" + i + "]", list.get(i));
            JsonNode o = n.node();
            String name = n.text(o, "name");
            if (name.isEmpty() || positions.containsKey(name)) {
                throw n.damaged("name", name.isEmpty() ? "is empty." : "'" + name + "' names a second group.");
            }
            positions.put(name, n.path());
            if ("composite".equals(n.text(o, "type"))) {
                n.integer(o, "fullSize", Grid1D.MIN_SIZE, Integer.MAX_VALUE);
                composites.add(i);
            } else {
                simpleGroup(n, name, groups);
            }
        }
        for (int i : composites) {
            compositeGroup(f.at("groups[" + i + "]", list.get(i)), groups);
        }
        return new GroupsRead(groups, positions);
    }

    /** Adds a simple or partitioned group with its size, distribution and trainable points. */
    private static void simpleGroup(Fields n, String name, ChannelGroups groups) throws IntegralModelFileException {
        JsonNode o = n.node();
        String type = n.text(o, "type");
        int fullSize = n.integer(o, "fullSize", Grid1D.MIN_SIZE, Integer.MAX_VALUE);
        if (!"simple".equals(type) && !"partitioned".equals(type)) {
            throw n.damaged("type", "is '" + type + "', expected 'simple', 'partitioned' or 'composite'.");
        }
        GridFamily family = n.enumValue(o, "family", GridFamily.class);
        int parts = 1;
        if ("partitioned".equals(type)) {
            parts = n.integer(o, "parts", 1, fullSize);
            if (fullSize % parts != 0) {
                throw n.damaged("parts", "is " + parts + ", which does not divide fullSize " + fullSize + ".");
            }
        }
        SizeRules.Range range = new SizeRules.Range(name, fullSize, parts);
        int size = n.integer(o, "size", Integer.MIN_VALUE, Integer.MAX_VALUE);
        try {
            range.check(size);
        } catch (InvalidSizeException e) {
            throw n.damaged("size", "is " + size + ", outside what the group takes: " + e.getMessage());
        }
        ChannelGroup g = "partitioned".equals(type) ? groups.addPartitioned(name, fullSize, parts)
                : groups.add(name, fullSize, family);
        if (g.size() != size) {
            g.resize(size);
        }
        JsonNode d = o.get("distribution");
        if (d != null && !d.isNull()) {
            distribution(n.at(n.path() + ".distribution", d), g, range.minimum(), fullSize);
        }
        JsonNode t = o.get("trainable");
        if (t != null && !t.isNull()) {
            trainablePoints(n.at(n.path() + ".trainable", t), g, size);
        }
    }

    /** Sets a group's size distribution from its entry. */
    private static void distribution(Fields dn, ChannelGroup g, int minimum, int fullSize)
            throws IntegralModelFileException {
        JsonNode d = dn.node();
        String kind = dn.text(d, "kind");
        int min = dn.integer(d, "min", minimum, fullSize);
        int max = dn.integer(d, "max", min, fullSize);
        if (!"uniform".equals(kind) && !"halfNormal".equals(kind)) {
            throw dn.damaged("kind", "is '" + kind + "', expected 'uniform' or 'halfNormal'.");
        }
        try {
            g.setDistribution("uniform".equals(kind) ? SizeDistribution.uniform(min, max)
                    : SizeDistribution.normal(min, max));
        } catch (IllegalArgumentException e) {
            throw dn.damaged("", "is not a valid distribution for the group: " + e.getMessage());
        }
    }

    /** Makes a group's grid trainable at the points of its entry. */
    private static void trainablePoints(Fields tn, ChannelGroup g, int size) throws IntegralModelFileException {
        JsonNode t = tn.node();
        TrainableGrid.Endpoints endpoints = tn.enumValue(t, "endpoints", TrainableGrid.Endpoints.class);
        JsonNode pts = tn.array(t, "points");
        if (pts.size() != size) {
            throw tn.damaged("points", "has " + pts.size() + " points but the group's size is " + size + ".");
        }
        double[] points = new double[pts.size()];
        for (int k = 0; k < points.length; k++) {
            if (!pts.get(k).isNumber()) {
                throw tn.damaged("points[" + k + "]", "is " + abbreviate(pts.get(k).toString())
                        + ", expected a number.");
            }
            points[k] = pts.get(k).asDouble();
        }
        try {
            g.makeTrainable(endpoints);
            g.trainableGrid().setInPlace(Grid1D.of(points).points());
        } catch (IllegalArgumentException e) {
            throw tn.damaged("points", "are not a valid grid: " + e.getMessage());
        }
    }

    /** Adds a concatenation of groups read before it. */
    private static void compositeGroup(Fields n, ChannelGroups groups) throws IntegralModelFileException {
        JsonNode o = n.node();
        JsonNode partList = n.array(o, "parts");
        List<String> parts = new ArrayList<>();
        long sum = 0;
        for (int k = 0; k < partList.size(); k++) {
            String part = partList.get(k).asText();
            if (!partList.get(k).isTextual() || !groups.contains(part) || groups.get(part).isComposite()) {
                throw n.damaged("parts[" + k + "]", "is " + abbreviate(partList.get(k).toString())
                        + ", which is not a simple group of this model.");
            }
            parts.add(part);
            sum += groups.get(part).fullSize();
        }
        int fullSize = o.get("fullSize").asInt();
        if (sum != fullSize) {
            throw n.damaged("fullSize", "is " + fullSize + " but its parts " + parts + " have " + sum
                    + " channels together.");
        }
        groups.addComposite(o.get("name").asText(), parts.toArray(new String[0]));
    }

    /** Every group a record names exists. */
    private static void checkRecords(Fields f, List<NodeRecord> records, ChannelGroups groups)
            throws IntegralModelFileException {
        for (int i = 0; i < records.size(); i++) {
            NodeRecord r = records.get(i);
            for (String[] g : new String[][] {{"inGroup", r.inGroup()}, {"outGroup", r.outGroup()}}) {
                if (g[1] != null && !groups.contains(g[1])) {
                    throw f.damaged("nodes[" + i + "]." + g[0], "names group '" + g[1] + "', which the entry's"
                            + " groups do not list.");
                }
            }
        }
    }

    /** The groups' full sizes (and blocks) equal what the integral layers' parameters have. */
    private static void checkAgainstParameters(Fields f, Dl4jNetwork network, GroupsRead read)
            throws IntegralModelFileException {
        ChannelGroups actual;
        try {
            actual = IntegralNetworks.createGroups(network.model(), 0);
        } catch (RuntimeException e) {
            throw new IntegralModelFileException(f.file, null, "the integral layers in " + DL4J_ENTRIES
                    + " disagree with each other: " + describe(e), e);
        }
        ChannelGroups saved = read.groups();
        for (ChannelGroup a : actual.all()) {
            if (!saved.contains(a.name())) {
                throw f.damaged("groups", "do not list group '" + a.name() + "', which the integral layers use ("
                        + a.fullSize() + " channels).");
            }
            ChannelGroup s = saved.get(a.name());
            String at = read.positions().get(a.name());
            if (s.fullSize() != a.fullSize()) {
                throw f.damaged(at + ".fullSize", "is " + s.fullSize() + " but the integral layers' parameters"
                        + " have " + a.fullSize() + " channels in group '" + a.name() + "'.");
            }
            if (s.isComposite()) {
                continue; // a concatenation: its parts are checked where the layers use them
            }
            int savedParts = s instanceof PartitionedChannelGroup p ? p.parts() : 1;
            int actualParts = a instanceof PartitionedChannelGroup p ? p.parts() : 1;
            if (savedParts != actualParts) {
                throw f.damaged(at, "splits group '" + a.name() + "' into " + savedParts + " block(s) but the"
                        + " integral layers use " + actualParts + ".");
            }
        }
    }

    /** Every integral layer a record names exists in the network. */
    private static void checkLayerReferences(Fields f, List<NodeRecord> records, Dl4jNetwork network)
            throws IntegralModelFileException {
        Set<String> names = new HashSet<>();
        for (NodeSpec n : network.nodes()) {
            if (n.kind() == NodeSpec.Kind.LAYER) {
                names.add(n.name());
            }
        }
        for (int i = 0; i < records.size(); i++) {
            List<String> layers = records.get(i).integralLayers();
            for (int k = 0; k < layers.size(); k++) {
                String l = layers.get(k);
                if (!names.contains(l)) {
                    throw f.damaged("nodes[" + i + "].integralLayers[" + k + "]", "is '" + l + "', which is not a"
                            + " layer of the integral network.");
                }
            }
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Typed access to the entry's fields; every failure names the field's path. */
    private static final class Fields {
        final File file;
        private final String path;
        private final JsonNode node;

        Fields(File file) {
            this(file, "", null);
        }

        private Fields(File file, String path, JsonNode node) {
            this.file = file;
            this.path = path;
            this.node = node;
        }

        /** Fields of a nested object; fails when {@code value} is not an object. */
        Fields at(String path, JsonNode value) throws IntegralModelFileException {
            if (value == null || !value.isObject()) {
                throw new IntegralModelFileException(file, ENTRY, "field '" + path + "' is "
                        + (value == null ? "missing" : abbreviate(value.toString())) + ", expected an object.", null);
            }
            return new Fields(file, path, value);
        }

        JsonNode node() {
            return node;
        }

        String path() {
            return path;
        }

        private String child(String field) {
            return path.isEmpty() ? field : field.isEmpty() ? path : path + "." + field;
        }

        IntegralModelFileException damaged(String field, String problem) {
            String where = child(field);
            return new IntegralModelFileException(file, ENTRY, (where.isEmpty() ? "the document" : "field '" + where
                    + "'") + " " + problem, null);
        }

        private JsonNode required(JsonNode o, String field) throws IntegralModelFileException {
            JsonNode v = o.get(field);
            if (v == null || v.isNull()) {
                throw damaged(field, "is missing.");
            }
            return v;
        }

        String text(JsonNode o, String field) throws IntegralModelFileException {
            JsonNode v = required(o, field);
            if (!v.isTextual()) {
                throw damaged(field, "is " + abbreviate(v.toString()) + ", expected a string.");
            }
            return v.asText();
        }

        String textOrNull(JsonNode o, String field) throws IntegralModelFileException {
            if (!o.has(field)) {
                throw damaged(field, "is missing (null for none).");
            }
            JsonNode v = o.get(field);
            if (v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw damaged(field, "is " + abbreviate(v.toString()) + ", expected a string or null.");
            }
            return v.asText();
        }

        int integer(JsonNode o, String field, int min, int max) throws IntegralModelFileException {
            JsonNode v = required(o, field);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
                throw damaged(field, "is " + abbreviate(v.toString()) + ", expected a whole number"
                        + (min == Integer.MIN_VALUE ? "" : max == Integer.MAX_VALUE ? " >= " + min
                        : " in [" + min + ", " + max + "]") + ".");
            }
            return v.asInt();
        }

        boolean bool(JsonNode o, String field) throws IntegralModelFileException {
            JsonNode v = required(o, field);
            if (!v.isBoolean()) {
                throw damaged(field, "is " + abbreviate(v.toString()) + ", expected true or false.");
            }
            return v.asBoolean();
        }

        JsonNode array(JsonNode o, String field) throws IntegralModelFileException {
            JsonNode v = required(o, field);
            if (!v.isArray()) {
                throw damaged(field, "is " + abbreviate(v.toString()) + ", expected an array.");
            }
            return v;
        }

        <E extends Enum<E>> E enumValue(JsonNode o, String field, Class<E> type) throws IntegralModelFileException {
            String s = text(o, field);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw damaged(field, "is '" + s + "', expected one of " + Arrays.toString(type.getEnumConstants())
                        + ".");
            }
        }
    }
}
