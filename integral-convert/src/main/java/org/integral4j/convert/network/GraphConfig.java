package org.integral4j.convert.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Dl4jConfiguration} of a {@link ComputationGraphConfiguration}. */
final class GraphConfig implements Dl4jConfiguration {

    private final ComputationGraphConfiguration conf;

    GraphConfig(ComputationGraphConfiguration conf) {
        this.conf = conf;
    }

    ComputationGraphConfiguration dl4j() {
        return conf;
    }

    @Override
    public NetworkType type() {
        return NetworkType.GRAPH;
    }

    @Override
    public Dl4jConfiguration copy() {
        return new GraphConfig(conf.clone());
    }

    @Override
    public String toJson() {
        return conf.toJson();
    }

    /**
     * The vertex names in topological order: DL4J's order, stored in the configuration when a graph
     * is initialised; otherwise Kahn's order over the inputs and then the vertices in the
     * configuration's order.
     */
    List<String> order() {
        List<String> stored = conf.getTopologicalOrderStr();
        if (stored != null && stored.size() == conf.getNetworkInputs().size() + conf.getVertices().size()) {
            return List.copyOf(stored);
        }
        int total = conf.getNetworkInputs().size() + conf.getVertices().size();
        List<String> order = new ArrayList<>(conf.getNetworkInputs());
        Set<String> placed = new HashSet<>(order);
        boolean progress = true;
        while (progress && order.size() < total) {
            progress = false;
            for (String v : conf.getVertices().keySet()) {
                List<String> in = conf.getVertexInputs().getOrDefault(v, List.of());
                if (!placed.contains(v) && placed.containsAll(in)) {
                    order.add(v);
                    placed.add(v);
                    progress = true;
                }
            }
        }
        Checks.require(order.size() == total, "ComputationGraph",
                "the vertices %s cannot be ordered: their inputs form a cycle or are missing.",
                conf.getVertices().keySet().stream().filter(v -> !placed.contains(v)).toList());
        return order;
    }

    @Override
    public List<NodeSpec> nodes() {
        return nodes(order());
    }

    /** The nodes in the given order of vertex names. */
    List<NodeSpec> nodes(List<String> order) {
        List<String> inputs = conf.getNetworkInputs();
        List<NodeSpec> nodes = new ArrayList<>();
        for (String name : order) {
            if (inputs.contains(name)) {
                nodes.add(new NodeSpec(name, NodeSpec.Kind.INPUT, null, null, null, List.of(), ""));
                continue;
            }
            GraphVertex v = conf.getVertices().get(name);
            List<String> in = conf.getVertexInputs().getOrDefault(name, List.of());
            if (v instanceof LayerVertex lv) {
                nodes.add(new NodeSpec(name, NodeSpec.Kind.LAYER, lv.getLayerConf().getLayer(), v, lv.getPreProcessor(),
                        in, name + "_"));
            } else {
                InputPreProcessor pre = v instanceof PreprocessorVertex pv ? pv.getPreProcessor() : null;
                nodes.add(new NodeSpec(name, NodeSpec.Kind.VERTEX, null, v, pre, in, name + "_"));
            }
        }
        return nodes;
    }

    @Override
    public List<String> inputNames() {
        return List.copyOf(conf.getNetworkInputs());
    }

    @Override
    public List<String> outputNames() {
        return List.copyOf(conf.getNetworkOutputs());
    }

    @Override
    public Map<String, InputType> outputTypes(InputType... inputTypes) {
        Checks.requireNonNull("ComputationGraph", "inputTypes", inputTypes);
        List<String> inputs = conf.getNetworkInputs();
        Checks.require(inputTypes.length == inputs.size(), "ComputationGraph",
                "got %d input types for the network inputs %s, expected %d.", inputTypes.length, inputs, inputs.size());
        for (InputType t : inputTypes) {
            Checks.requireNonNull("ComputationGraph", "inputTypes[i]", t);
        }
        try {
            return new LinkedHashMap<>(conf.clone().getLayerActivationTypes(true, false, inputTypes));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ComputationGraph: DL4J cannot propagate the input types "
                    + Arrays.toString(inputTypes) + " through the graph: " + e.getMessage()
                    + " Fix: pass the types the graph was built for.", e);
        }
    }

    @Override
    public List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        for (NodeSpec n : nodes()) {
            if (n.kind() == NodeSpec.Kind.LAYER) {
                layers.add(n.layer());
            }
        }
        return layers;
    }

    @Override
    public Dl4jNetwork build() {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return new GraphNet(graph);
    }

    @Override
    public Dl4jNetwork build(INDArray params) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init(params, false);
        return new GraphNet(graph);
    }

    @Override
    public RebuiltNetwork rebuild(NetworkTransform transform) {
        ComputationGraphConfiguration copy = conf.clone();
        copy.setTopologicalOrder(null);
        copy.setTopologicalOrderStr(null);
        Map<String, GraphVertex> vertices = new LinkedHashMap<>(copy.getVertices());
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        copy.getVertexInputs().forEach((k, v) -> inputs.put(k, new ArrayList<>(v)));
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (NodeSpec node : nodes()) {
            if (node.kind() == NodeSpec.Kind.VERTEX) {
                vertices.put(node.name(), transform.vertex(node, node.vertex()));
            } else if (node.kind() == NodeSpec.Kind.LAYER) {
                where.put(node.name(), replaceLayer(node, transform, vertices, inputs));
            }
        }
        copy.setVertices(vertices);
        copy.setVertexInputs(inputs);
        return new RebuiltNetwork(new GraphConfig(copy).build(), where);
    }

    /** Applies the transform to one layer vertex; returns the names of its layers in the rebuilt graph. */
    private List<String> replaceLayer(NodeSpec node, NetworkTransform transform, Map<String, GraphVertex> vertices,
                                      Map<String, List<String>> inputs) {
        String name = node.name();
        LayerVertex lv = (LayerVertex) node.vertex();
        Replacement r = transform.layer(node, lv.getLayerConf().getLayer());
        InputPreProcessor p = transform.preProcessor(node, lv.getPreProcessor());
        if (r instanceof Replacement.Keep) {
            vertices.put(name, new LayerVertex(lv.getLayerConf().clone(), p));
            return List.of(name);
        }
        if (r instanceof Replacement.Remove) {
            Checks.require(p == null && inputs.get(name).size() == 1 && !conf.getNetworkOutputs().contains(name), name,
                    "only a single-input, non-output layer without a preprocessor can be removed.");
            String from = inputs.get(name).get(0);
            vertices.remove(name);
            inputs.remove(name);
            for (List<String> in : inputs.values()) {
                in.replaceAll(s -> s.equals(name) ? from : s);
            }
            return List.of();
        }
        List<Layer> layers = ((Replacement.Chain) r).layers();
        List<String> names = new ArrayList<>();
        List<String> previousInputs = inputs.get(name);
        for (int k = 0; k < layers.size(); k++) {
            String n = k == layers.size() - 1 ? name : name + "-part" + k;
            NeuralNetConfiguration c = lv.getLayerConf().clone();
            c.setLayer(layers.get(k));
            c.getLayer().setLayerName(n);
            vertices.put(n, new LayerVertex(c, k == 0 ? p : null));
            inputs.put(n, k == 0 ? previousInputs : new ArrayList<>(List.of(names.get(k - 1))));
            names.add(n);
        }
        return names;
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (Layer l : layers()) {
            n += Dl4jConfiguration.parameterCount(l);
        }
        return n;
    }

    @Override
    public String toString() {
        return "ComputationGraph configuration, inputs " + conf.getNetworkInputs() + ", outputs "
                + conf.getNetworkOutputs();
    }
}
