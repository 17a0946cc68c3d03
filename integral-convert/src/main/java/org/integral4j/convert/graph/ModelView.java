package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A uniform, read-only view of an initialised {@code MultiLayerNetwork} or
 * {@code ComputationGraph} (through {@link Dl4jNetwork}): its nodes in topological order, each with its configuration,
 * preprocessor, inputs, parameter keys and shapes and, when input types are given, its output
 * type.
 *
 * <p><b>Read-only.</b> The view never modifies the network: it reads the configuration and the
 * parameter tables, and computes output types on a clone of the configuration (DL4J's
 * {@code getLayerActivationTypes} sets preprocessors and {@code nIn} on the configuration it is
 * called on). {@link #param(String, String)} returns copies. The view keeps a reference to the
 * network, so parameters read later reflect later training.
 *
 * <p><b>Parameter layouts</b> (DL4J M2.1) are described by each layer's kind in
 * {@link LayerKinds}, e.g. convolution {@code W: [out, in, kH, kW]}, dense {@code W: [in, out]} 'f',
 * batch norm {@code gamma, beta, mean, log10stdev}, each {@code [n]}.
 */
public final class ModelView {

    private final Dl4jNetwork network;
    private final List<ModelNode> nodes;
    private final Map<String, ModelNode> byName;
    private final Map<String, List<String>> consumers;
    private final boolean typed;

    private ModelView(Dl4jNetwork network, List<ModelNode> nodes, boolean typed) {
        this.network = network;
        this.nodes = List.copyOf(nodes);
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
        this.typed = typed;
    }

    /**
     * A view of an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}.
     *
     * @param model      the network (not modified); {@code init()} must have been called
     * @param inputTypes none for a view without output types, else one type per network input (in
     *                   the graph's input order), e.g. {@code InputType.convolutional(28, 28, 1)}
     * @return the view
     * @throws IllegalArgumentException if the model is neither kind of network, is not
     *                                  initialised, or DL4J rejects the input types
     */
    public static ModelView of(Model model, InputType... inputTypes) {
        return of(Dl4jNetwork.of(model), inputTypes);
    }

    /**
     * A view of an initialised network.
     *
     * @param network    the network (not modified); {@code init()} must have been called
     * @param inputTypes none for a view without output types, else one type per network input
     * @return the view
     * @throws IllegalArgumentException if the network is not initialised or DL4J rejects the input
     *                                  types (wrong count, or not the types the network was built for)
     */
    public static ModelView of(Dl4jNetwork network, InputType... inputTypes) {
        Checks.requireNonNull("ModelView", "network", network);
        Checks.requireNonNull("ModelView", "inputTypes", inputTypes);
        List<NodeSpec> specs = network.nodes();
        Map<String, InputType> types = inputTypes.length == 0 ? Map.of()
                : network.configuration().outputTypes(inputTypes);
        List<ModelNode> nodes = new ArrayList<>();
        for (NodeSpec spec : specs) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            if (spec.kind() == NodeSpec.Kind.LAYER) {
                Map<String, INDArray> table = network.layer(spec.name()).paramTable();
                if (table != null) {
                    table.forEach((k, v) -> shapes.put(k, v.shape()));
                }
            }
            nodes.add(new ModelNode(spec, network.index(spec.name()).orElse(-1), types.get(spec.name()), shapes));
        }
        return new ModelView(network, nodes, inputTypes.length > 0);
    }

    /** @return the viewed network; do not modify it */
    public Dl4jNetwork network() {
        return network;
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
        return network.inputNames();
    }

    /** @return the names of the network outputs (for a {@code MultiLayerNetwork}, its last layer) */
    public List<String> outputNames() {
        return network.outputNames();
    }

    /** @return whether the view was made with input types, i.e. {@link ModelNode#outputType()} is set */
    public boolean hasOutputTypes() {
        return typed;
    }

    /**
     * A copy of one parameter array in the layout the layer reports and computes with (see the
     * class documentation): DL4J's storage read by the layer's kind in the default registry
     * ({@link LayerKind#fromStorage}; only {@code Convolution1DLayer} stores its weight in another
     * order than it reports). Modifying the copy does not affect the network.
     *
     * @param node the node name
     * @param key  the layer-local key, e.g. {@code "W"}
     * @return a new array with the parameter's values, shape and data type
     * @throws IllegalArgumentException if the node or the parameter does not exist
     */
    public INDArray param(String node, String key) {
        ModelNode n = node(node);
        n.paramShape(key);
        INDArray live = network.layer(node).getParam(key);
        return n.layer().flatMap(LayerRegistry.defaults()::kindOf).orElse(LayerKinds.OTHER).fromStorage(key, live);
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
        StringBuilder sb = new StringBuilder("ModelView[").append(network.type().displayName());
        sb.append(", inputs ").append(inputNames()).append(", outputs ").append(outputNames()).append("]\n");
        for (ModelNode n : nodes) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
