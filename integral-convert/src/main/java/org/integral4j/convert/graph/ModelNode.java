package org.integral4j.convert.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.util.Checks;

/**
 * One node of a {@link ModelView}: a network input, a layer, or a (non-layer) graph vertex, with
 * its configuration, its inputs, its output type where known and the keys and shapes of its
 * parameters.
 *
 * <p>Instances are immutable, except that {@link #layer()}, {@link #vertex()} and
 * {@link #preProcessor()} return DL4J's own (mutable) configuration objects of the network:
 * read them, never modify them.
 */
public final class ModelNode {

    private final NodeSpec spec;
    private final int index;
    private final InputType outputType;
    private final Map<String, long[]> paramShapes;

    ModelNode(NodeSpec spec, int index, InputType outputType, Map<String, long[]> paramShapes) {
        this.spec = spec;
        this.index = index;
        this.outputType = outputType;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        paramShapes.forEach((k, v) -> shapes.put(k, v.clone()));
        this.paramShapes = Collections.unmodifiableMap(shapes);
    }

    /** @return the node as the network's configuration describes it (name, kind, configuration, inputs) */
    public NodeSpec spec() {
        return spec;
    }

    /**
     * The node's name: the vertex name in a {@code ComputationGraph}; in a
     * {@code MultiLayerNetwork} the layer's name (DL4J names unnamed layers {@code "layer<i>"}),
     * or its index as a string when the name is missing or not unique. A
     * {@code MultiLayerNetwork}'s input node is called {@code "input"}.
     *
     * @return the unique name of the node in its view
     */
    public String name() {
        return spec.name();
    }

    /**
     * The node's index: the layer index in a {@code MultiLayerNetwork} ({@code -1} for its input
     * node), the runtime vertex index ({@code GraphVertex.getVertexIndex()}) in a
     * {@code ComputationGraph}.
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /** @return whether this node is an input, a layer or another vertex */
    public NodeSpec.Kind kind() {
        return spec.kind();
    }

    /**
     * The layer configuration (as stored in the network, e.g. a {@code FrozenLayer} wrapper is
     * returned as such). Do not modify it.
     *
     * @return the layer configuration; empty for inputs and non-layer vertices
     */
    public Optional<Layer> layer() {
        return spec.layerConfiguration();
    }

    /**
     * The graph vertex configuration ({@code LayerVertex} for layers of a graph). Do not modify
     * it.
     *
     * @return the vertex configuration; empty for inputs and for {@code MultiLayerNetwork} layers
     */
    public Optional<GraphVertex> vertex() {
        return spec.vertexConfiguration();
    }

    /**
     * The preprocessor applied to the node's input: {@code getInputPreProcess(i)} of a
     * {@code MultiLayerNetwork}, {@code LayerVertex.getPreProcessor()}, or the preprocessor of a
     * {@code PreprocessorVertex}. Do not modify it.
     *
     * @return the preprocessor, if any
     */
    public Optional<InputPreProcessor> preProcessor() {
        return spec.inputPreProcessor();
    }

    /** @return the names of the nodes this node reads, in input order (empty for inputs) */
    public List<String> inputs() {
        return spec.inputs();
    }

    /**
     * The type of this node's output activations, computed from the input types given to
     * {@link ModelView#of(Dl4jNetwork, InputType...)}.
     *
     * @return the output type; empty when the view was made without input types
     */
    public Optional<InputType> outputType() {
        return Optional.ofNullable(outputType);
    }

    /**
     * The keys of the node's parameters in DL4J's parameter-table order, e.g. {@code [b, W]} for
     * a convolution, {@code [W, b]} for a dense layer, {@code [gamma, beta, mean, log10stdev]}
     * for batch normalisation.
     *
     * @return the keys (empty when the node has no parameters)
     */
    public List<String> paramKeys() {
        return List.copyOf(paramShapes.keySet());
    }

    /** @return whether the node has at least one parameter */
    public boolean hasParams() {
        return !paramShapes.isEmpty();
    }

    /**
     * The shape of one parameter in DL4J's layout, e.g. conv {@code W: [out, in, kH, kW]}, dense
     * {@code W: [in, out]}, biases and batch-norm vectors {@code [n]}.
     *
     * @param key the layer-local key, e.g. {@code "W"}
     * @return a copy of the shape
     * @throws IllegalArgumentException if the node has no such parameter
     */
    public long[] paramShape(String key) {
        long[] s = paramShapes.get(key);
        Checks.require(s != null, spec.name(), "no parameter '%s'; this node has %s.", key, paramShapes.keySet());
        return s.clone();
    }

    /**
     * The network-level parameter key, as in {@code net.paramTable()}: {@code "<layerIndex>_<key>"}
     * in a {@code MultiLayerNetwork}, {@code "<vertexName>_<key>"} in a {@code ComputationGraph}.
     *
     * @param key the layer-local key, e.g. {@code "W"}
     * @return the network-level key, e.g. {@code "0_W"} or {@code "conv1_W"}
     * @throws IllegalArgumentException if the node has no such parameter
     */
    public String networkParamKey(String key) {
        paramShape(key);
        return spec.paramPrefix() + key;
    }

    /**
     * A short description of the node's type for messages: the simple class name of the layer or
     * vertex configuration, or {@code "input"}.
     *
     * @return the description
     */
    public String typeName() {
        if (spec.layer() != null) {
            return spec.layer().getClass().getSimpleName();
        }
        if (spec.vertex() != null) {
            return spec.vertex().getClass().getSimpleName();
        }
        return "input";
    }

    /**
     * The fully qualified class of the layer or vertex configuration, for error messages.
     *
     * @return the class name, or {@code "input"}
     */
    public String className() {
        if (spec.layer() != null) {
            return spec.layer().getClass().getName();
        }
        if (spec.vertex() != null) {
            return spec.vertex().getClass().getName();
        }
        return "input";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(name()).append(" (").append(typeName()).append(", ").append(kind());
        if (!inputs().isEmpty()) {
            sb.append(", inputs ").append(inputs());
        }
        if (spec.preProcessor() != null) {
            sb.append(", preprocessor ").append(spec.preProcessor().getClass().getSimpleName());
        }
        if (outputType != null) {
            sb.append(", out ").append(outputType);
        }
        if (!paramShapes.isEmpty()) {
            sb.append(", params {");
            boolean first = true;
            for (Map.Entry<String, long[]> e : paramShapes.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append(Arrays.toString(e.getValue()));
                first = false;
            }
            sb.append('}');
        }
        return sb.append(')').toString();
    }
}
