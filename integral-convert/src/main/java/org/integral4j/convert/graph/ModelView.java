package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A uniform, read-only view of an initialised {@link MultiLayerNetwork} or
 * {@link ComputationGraph}: its nodes in topological order, each with its configuration,
 * preprocessor, inputs, parameter keys and shapes and, when input types are given, its output
 * type.
 *
 * <p><b>Read-only.</b> The view never modifies the network: it reads the configuration and the
 * parameter tables, and computes output types on a clone of the configuration (DL4J's
 * {@code getLayerActivationTypes} sets preprocessors and {@code nIn} on the configuration it is
 * called on). {@link #param(String, String)} returns copies. The view keeps a reference to the
 * network, so parameters read later reflect later training.
 *
 * <p><b>DL4J parameter layouts</b> (M2.1, verified by probes): convolution
 * {@code W: [out, in, kH, kW]} 'c' and {@code b: [out]}; {@code Convolution1DLayer}
 * {@code W: [out, in, k, 1]}; dense and output layers {@code W: [in, out]} 'f' and
 * {@code b: [out]}; batch normalisation {@code gamma, beta, mean, log10stdev} (or {@code var}),
 * each {@code [n]}; {@code DepthwiseConvolution2D} {@code W: [kH, kW, in, multiplier]},
 * {@code b: [in·multiplier]}; {@code SeparableConvolution2D} depthwise
 * {@code W: [multiplier, in, kH, kW]}, pointwise {@code pW: [out, in·multiplier, 1, 1]},
 * {@code b: [out]}. Depthwise output channel {@code c·multiplier + m} comes from input channel
 * {@code c}.
 */
public final class ModelView {

    /** Name of the input node of a {@code MultiLayerNetwork} (made unique if a layer uses it). */
    public static final String MLN_INPUT_NAME = "input";

    private final MultiLayerNetwork mln;
    private final ComputationGraph graph;
    private final List<ModelNode> nodes;
    private final Map<String, ModelNode> byName;
    private final Map<String, List<String>> consumers;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final boolean typed;

    private ModelView(MultiLayerNetwork mln, ComputationGraph graph, List<ModelNode> nodes, List<String> inputNames,
                      List<String> outputNames, boolean typed) {
        this.mln = mln;
        this.graph = graph;
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        Map<String, ModelNode> names = new LinkedHashMap<>();
        Map<String, List<String>> cons = new LinkedHashMap<>();
        for (ModelNode n : nodes) {
            names.put(n.name(), n);
            cons.put(n.name(), new ArrayList<>());
        }
        for (ModelNode n : nodes) {
            for (String in : n.inputs()) {
                cons.get(in).add(n.name());
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        cons.forEach((k, v) -> frozen.put(k, Collections.unmodifiableList(v)));
        this.byName = Collections.unmodifiableMap(names);
        this.consumers = Collections.unmodifiableMap(frozen);
        this.inputNames = List.copyOf(inputNames);
        this.outputNames = List.copyOf(outputNames);
        this.typed = typed;
    }

    /**
     * A view of an initialised {@code MultiLayerNetwork} without output types.
     *
     * @param net the network (not modified); {@code init()} must have been called
     * @return the view
     * @throws IllegalArgumentException if the network is null or not initialised
     */
    public static ModelView of(MultiLayerNetwork net) {
        return ofMln(net, null);
    }

    /**
     * A view of an initialised {@code MultiLayerNetwork} with every node's output type, computed
     * from the network's input type on a clone of the configuration.
     *
     * @param net       the network (not modified); {@code init()} must have been called
     * @param inputType the type of the network input, e.g. {@code InputType.convolutional(28, 28, 1)}
     * @return the view
     * @throws IllegalArgumentException if an argument is null, the network is not initialised, or
     *                                  DL4J rejects the input type
     */
    public static ModelView of(MultiLayerNetwork net, InputType inputType) {
        Checks.requireNonNull("ModelView", "inputType", inputType);
        return ofMln(net, inputType);
    }

    /**
     * A view of an initialised {@code ComputationGraph} without output types.
     *
     * @param graph the graph (not modified); {@code init()} must have been called
     * @return the view
     * @throws IllegalArgumentException if the graph is null or not initialised
     */
    public static ModelView of(ComputationGraph graph) {
        return ofGraph(graph, null);
    }

    /**
     * A view of an initialised {@code ComputationGraph} with every node's output type, computed
     * on a clone of the configuration.
     *
     * @param graph      the graph (not modified); {@code init()} must have been called
     * @param inputTypes one type per network input, in {@code getNetworkInputs()} order
     * @return the view
     * @throws IllegalArgumentException if the graph is not initialised, the number of types does
     *                                  not match the number of inputs, or DL4J rejects a type
     */
    public static ModelView of(ComputationGraph graph, InputType... inputTypes) {
        Checks.requireNonNull("ModelView", "inputTypes", inputTypes);
        for (InputType t : inputTypes) {
            Checks.requireNonNull("ModelView", "inputTypes[i]", t);
        }
        return ofGraph(graph, inputTypes);
    }

    private static ModelView ofMln(MultiLayerNetwork net, InputType inputType) {
        Checks.requireNonNull("ModelView", "network", net);
        Checks.require(net.getLayers() != null, "ModelView", "the MultiLayerNetwork is not initialised."
                + " Fix: call net.init() before making a view.");
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int n = net.getnLayers();
        List<InputType> types = null;
        if (inputType != null) {
            try {
                types = conf.clone().getLayerActivationTypes(inputType);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("ModelView: DL4J cannot propagate input type " + inputType
                        + " through the network: " + e.getMessage()
                        + " Fix: pass the type the network was built for.", e);
            }
        }
        String[] layerNames = new String[n];
        for (int i = 0; i < n; i++) {
            layerNames[i] = conf.getConf(i).getLayer().getLayerName();
        }
        String[] names = uniqueMlnNames(layerNames);
        Set<String> taken = new HashSet<>(List.of(names));
        String inputName = MLN_INPUT_NAME;
        while (taken.contains(inputName)) {
            inputName = "_" + inputName;
        }
        List<ModelNode> nodes = new ArrayList<>();
        nodes.add(new ModelNode(inputName, -1, ModelNode.Kind.INPUT, null, null, null, List.of(), inputType, "",
                Map.of()));
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            Map<String, long[]> shapes = shapesOf(net.getLayer(i).paramTable());
            nodes.add(new ModelNode(names[i], i, ModelNode.Kind.LAYER, layer, null, conf.getInputPreProcess(i),
                    List.of(i == 0 ? inputName : names[i - 1]), types == null ? null : types.get(i), i + "_", shapes));
        }
        List<String> outputs = n == 0 ? List.of(inputName) : List.of(names[n - 1]);
        return new ModelView(net, null, nodes, List.of(inputName), outputs, inputType != null);
    }

    /** Layer names, or the index where a name is missing or shared with another layer. */
    private static String[] uniqueMlnNames(String[] layerNames) {
        int n = layerNames.length;
        Map<String, Integer> counts = new HashMap<>();
        for (String s : layerNames) {
            if (s != null && !s.isEmpty()) {
                counts.merge(s, 1, Integer::sum);
            }
        }
        String[] names = new String[n];
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String s = layerNames[i];
            if (s != null && !s.isEmpty() && counts.get(s) == 1) {
                names[i] = s;
                used.add(s);
            }
        }
        for (int i = 0; i < n; i++) {
            if (names[i] == null) {
                String candidate = String.valueOf(i);
                while (used.contains(candidate)) {
                    candidate = "#" + candidate;
                }
                names[i] = candidate;
                used.add(candidate);
            }
        }
        return names;
    }

    private static ModelView ofGraph(ComputationGraph graph, InputType[] inputTypes) {
        Checks.requireNonNull("ModelView", "graph", graph);
        Checks.require(graph.getVertices() != null, "ModelView", "the ComputationGraph is not initialised."
                + " Fix: call graph.init() before making a view.");
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        Map<String, InputType> types = null;
        if (inputTypes != null) {
            Checks.require(inputTypes.length == inputs.size(), "ModelView",
                    "got %d input types for the network inputs %s, expected %d.", inputTypes.length, inputs,
                    inputs.size());
            try {
                types = conf.clone().getLayerActivationTypes(true, false, inputTypes);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("ModelView: DL4J cannot propagate the input types "
                        + java.util.Arrays.toString(inputTypes) + " through the graph: " + e.getMessage()
                        + " Fix: pass the types the graph was built for.", e);
            }
        }
        List<String> order = conf.getTopologicalOrderStr();
        if (order == null) {
            order = new ArrayList<>();
            org.deeplearning4j.nn.graph.vertex.GraphVertex[] vs = graph.getVertices();
            for (int idx : graph.topologicalSortOrder()) {
                order.add(vs[idx].getVertexName());
            }
        }
        List<ModelNode> nodes = new ArrayList<>();
        for (String name : order) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex runtime = graph.getVertex(name);
            int index = runtime.getVertexIndex();
            InputType type = types == null ? null : types.get(name);
            if (inputs.contains(name)) {
                nodes.add(new ModelNode(name, index, ModelNode.Kind.INPUT, null, null, null, List.of(), type, "",
                        Map.of()));
                continue;
            }
            GraphVertex v = conf.getVertices().get(name);
            List<String> in = conf.getVertexInputs().get(name);
            in = in == null ? List.of() : in;
            if (v instanceof LayerVertex) {
                LayerVertex lv = (LayerVertex) v;
                Map<String, long[]> shapes = runtime.hasLayer() ? shapesOf(runtime.getLayer().paramTable()) : Map.of();
                nodes.add(new ModelNode(name, index, ModelNode.Kind.LAYER, lv.getLayerConf().getLayer(), v,
                        lv.getPreProcessor(), in, type, name + "_", shapes));
            } else {
                InputPreProcessor pre = v instanceof PreprocessorVertex ? ((PreprocessorVertex) v).getPreProcessor()
                        : null;
                nodes.add(new ModelNode(name, index, ModelNode.Kind.VERTEX, null, v, pre, in, type, name + "_",
                        Map.of()));
            }
        }
        return new ModelView(null, graph, nodes, inputs, conf.getNetworkOutputs(), inputTypes != null);
    }

    private static Map<String, long[]> shapesOf(Map<String, INDArray> table) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        if (table != null) {
            table.forEach((k, v) -> shapes.put(k, v.shape()));
        }
        return shapes;
    }

    /** @return true for a {@code ComputationGraph}, false for a {@code MultiLayerNetwork} */
    public boolean isGraph() {
        return graph != null;
    }

    /** @return the viewed {@code MultiLayerNetwork}, or null for a graph; do not modify it */
    public MultiLayerNetwork multiLayerNetwork() {
        return mln;
    }

    /** @return the viewed {@code ComputationGraph}, or null for a multi-layer network; do not modify it */
    public ComputationGraph computationGraph() {
        return graph;
    }

    /** @return all nodes in topological order, inputs first */
    public List<ModelNode> nodes() {
        return nodes;
    }

    /**
     * @param name a node name
     * @return the node
     * @throws IllegalArgumentException if there is no such node (the message lists the names)
     */
    public ModelNode node(String name) {
        ModelNode n = byName.get(name);
        Checks.require(n != null, "ModelView", "no node named '%s'; the nodes are %s.", name, byName.keySet());
        return n;
    }

    /**
     * @param name a node name
     * @return whether the view has a node of that name
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The nodes that read a node's output, in topological order.
     *
     * @param name a node name
     * @return the consumers' names (empty for a network output that nothing else reads)
     */
    public List<String> consumers(String name) {
        node(name);
        return consumers.get(name);
    }

    /** @return the names of the network inputs */
    public List<String> inputNames() {
        return inputNames;
    }

    /** @return the names of the network outputs (for a {@code MultiLayerNetwork}, its last layer) */
    public List<String> outputNames() {
        return outputNames;
    }

    /** @return whether the view was made with input types, i.e. {@link ModelNode#outputType()} is set */
    public boolean hasOutputTypes() {
        return typed;
    }

    /**
     * A copy of one parameter array in DL4J's layout (see the class documentation). Modifying
     * the copy does not affect the network.
     *
     * @param node the node name
     * @param key  the layer-local key, e.g. {@code "W"}
     * @return a new array with the parameter's values, shape and data type
     * @throws IllegalArgumentException if the node or the parameter does not exist
     */
    public INDArray param(String node, String key) {
        ModelNode n = node(node);
        n.paramShape(key);
        INDArray live = mln != null ? mln.getLayer(n.index()).getParam(key) : graph.getLayer(node).getParam(key);
        if ("W".equals(key) && n.layer().map(l -> l instanceof org.deeplearning4j.nn.conf.layers.Convolution1DLayer)
                .orElse(false)) {
            return conv1dWeightFromStorage(live);
        }
        return live.dup();
    }

    /**
     * DL4J 1.0.0-M2.1's {@code Convolution1DLayer} reports its weight as {@code [out, in, k, 1]}
     * ('c') but computes with the same memory read as {@code [k, in, out]} ('c'), so an index of
     * the reported view is not an (output, input, tap) triple. This returns a new array whose
     * {@code [o, c, j, 0]} really is the weight of output {@code o}, input {@code c}, tap {@code j}.
     *
     * @param stored the layer's weight view (not modified)
     * @return a new {@code [out, in, k, 1]} 'c' array in the computed meaning
     */
    public static INDArray conv1dWeightFromStorage(INDArray stored) {
        long out = stored.size(0);
        long in = stored.size(1);
        long k = stored.size(2);
        INDArray kio = stored.dup('c').reshape('c', k, in, out);
        return kio.permute(2, 1, 0).dup('c').reshape('c', out, in, k, 1);
    }

    /**
     * The inverse of {@link #conv1dWeightFromStorage}: the array to assign to a
     * {@code Convolution1DLayer}'s weight view so that it computes with {@code weight}.
     *
     * @param weight {@code [out, in, k, 1]} in the computed meaning (not modified)
     * @return a new array of the same shape holding DL4J's storage order
     */
    public static INDArray conv1dWeightToStorage(INDArray weight) {
        long out = weight.size(0);
        long in = weight.size(1);
        long k = weight.size(2);
        INDArray oik = weight.dup('c').reshape('c', out, in, k);
        return oik.permute(2, 1, 0).dup('c').reshape('c', out, in, k, 1);
    }

    /**
     * Copies of all parameters of a node, in parameter-table order.
     *
     * @param node the node name
     * @return key to copy (empty when the node has no parameters)
     */
    public Map<String, INDArray> params(String node) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String key : node(node).paramKeys()) {
            out.put(key, param(node, key));
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(isGraph() ? "ModelView[ComputationGraph" : "ModelView[MultiLayerNetwork");
        sb.append(", inputs ").append(inputNames).append(", outputs ").append(outputNames).append("]\n");
        for (ModelNode n : nodes) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
