package org.integral4j.convert;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.CompositeChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.integral4j.util.Checks;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The file format of {@link IntegralModel}: DL4J's {@code ModelSerializer} zip of the integral
 * network, with one more entry ({@value #ENTRY}, a JSON document) holding the channel groups
 * (sizes, distributions, trainable points), the source configuration and the conversion records.
 */
final class IntegralModelIO {

    /** The key of the Integral4J entry. */
    static final String ENTRY = "integral4j/model.json";
    /** The format version written. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private IntegralModelIO() {
    }

    static void save(IntegralModel model, File file) throws IOException {
        Checks.requireNonNull("IntegralModel.save", "file", file);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "integral4j-model");
        root.put("version", VERSION);
        boolean graph = !(model.network() instanceof MultiLayerNetwork);
        root.put("networkType", graph ? "ComputationGraph" : "MultiLayerNetwork");
        Object src = model.sourceConfiguration();
        root.put("sourceConfiguration", graph ? ((ComputationGraphConfiguration) src).toJson()
                : ((MultiLayerConfiguration) src).toJson());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeRecord r : model.records()) {
            ObjectNode n = nodes.addObject();
            n.put("name", r.name());
            n.put("index", r.node().index());
            n.put("nodeKind", r.node().kind().name());
            n.put("layerKind", r.kind().name());
            n.put("inGroup", r.inGroup());
            n.put("outGroup", r.outGroup());
            n.put("fusedInto", r.fusedInto());
            n.put("receivesBatchNorm", r.receivesBatchNorm());
            n.put("inBlock", r.inBlock());
            n.put("channelsLast", r.channelsLast());
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
        ModelSerializer.writeModel(model.network(), file, true);
        ModelSerializer.addObjectToFile(file, ENTRY, JSON.writeValueAsString(root));
    }

    static IntegralModel load(File file) throws IOException {
        Checks.requireNonNull("IntegralModel.load", "file", file);
        Checks.require(file.isFile(), "IntegralModel.load", "no such file: %s.", file);
        try (ZipFile zip = new ZipFile(file)) {
            Checks.require(zip.getEntry("configuration.json") != null, "IntegralModel.load",
                    "%s is not a DL4J model file (no configuration.json entry); save models with IntegralModel.save.",
                    file);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("IntegralModel.load: " + file + " is not a zip file (" + e.getMessage()
                    + "); it is corrupt or not a model saved with IntegralModel.save.", e);
        }
        String text;
        try {
            text = ModelSerializer.getObjectFromFile(file, ENTRY);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("IntegralModel.load: " + file + " is a DL4J model without Integral4J's "
                    + ENTRY + " entry: a plain network. Load it with ModelSerializer.restoreMultiLayerNetwork or "
                    + "restoreComputationGraph, and convert it with IntegralWrapper.", e);
        }
        JsonNode root = JSON.readTree(text);
        Checks.require("integral4j-model".equals(root.path("format").asText()), "IntegralModel.load",
                "%s: the %s entry is not an Integral4J model description.", file, ENTRY);
        Checks.require(root.path("version").asInt() == VERSION, "IntegralModel.load",
                "%s has format version %s, this library reads version %d.", file, root.path("version"), VERSION);
        boolean graph = "ComputationGraph".equals(root.path("networkType").asText());
        Model network = graph ? ModelSerializer.restoreComputationGraph(file, true)
                : ModelSerializer.restoreMultiLayerNetwork(file, true);
        Object sourceConf = graph ? ComputationGraphConfiguration.fromJson(root.get("sourceConfiguration").asText())
                : MultiLayerConfiguration.fromJson(root.get("sourceConfiguration").asText());
        List<NodeRecord> records = new ArrayList<>();
        for (JsonNode n : root.get("nodes")) {
            List<String> layers = new ArrayList<>();
            n.get("integralLayers").forEach(x -> layers.add(x.asText()));
            records.add(new NodeRecord(new NetworkRebuilder.SourceNode(n.get("name").asText(), n.get("index").asInt(),
                    NetworkRebuilder.SourceNode.Kind.valueOf(n.get("nodeKind").asText())),
                    LayerKind.valueOf(n.get("layerKind").asText()), text(n, "inGroup"), text(n, "outGroup"),
                    text(n, "fusedInto"), n.get("receivesBatchNorm").asBoolean(), n.get("inBlock").asInt(),
                    n.get("channelsLast").asBoolean(), layers));
        }
        ChannelGroups groups = new ChannelGroups(42);
        for (JsonNode n : root.get("groups")) {
            String type = n.get("type").asText();
            if ("composite".equals(type)) {
                continue;
            }
            String name = n.get("name").asText();
            ChannelGroup g = "partitioned".equals(type)
                    ? groups.addPartitioned(name, n.get("fullSize").asInt(), n.get("parts").asInt())
                    : groups.add(name, n.get("fullSize").asInt(),
                    org.integral4j.grid.GridFamily.valueOf(n.get("family").asText()));
            if (g.size() != n.get("size").asInt()) {
                g.resize(n.get("size").asInt());
            }
            JsonNode d = n.get("distribution");
            if (d != null && !d.isNull()) {
                g.setDistribution("uniform".equals(d.get("kind").asText())
                        ? SizeDistribution.uniform(d.get("min").asInt(), d.get("max").asInt())
                        : SizeDistribution.normal(d.get("min").asInt(), d.get("max").asInt()));
            }
            JsonNode t = n.get("trainable");
            if (t != null && !t.isNull()) {
                g.makeTrainable(TrainableGrid.Endpoints.valueOf(t.get("endpoints").asText()));
                double[] pts = new double[t.get("points").size()];
                for (int i = 0; i < pts.length; i++) {
                    pts[i] = t.get("points").get(i).asDouble();
                }
                g.trainableGrid().setInPlace(Grid1D.of(pts).points());
            }
        }
        for (JsonNode n : root.get("groups")) {
            if ("composite".equals(n.get("type").asText())) {
                List<String> parts = new ArrayList<>();
                n.get("parts").forEach(x -> parts.add(x.asText()));
                groups.addComposite(n.get("name").asText(), parts.toArray(new String[0]));
            }
        }
        return IntegralModel.restore(network, groups, records, sourceConf);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
