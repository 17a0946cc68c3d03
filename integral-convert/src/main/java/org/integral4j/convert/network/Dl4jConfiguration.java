package org.integral4j.convert.network;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration of a DL4J network, multi-layer or graph, behind one interface: its nodes by
 * name, the output type of every node, JSON, copies, building a network and rebuilding it with
 * some layers replaced. The only place (with {@link Dl4jNetwork}) where Integral4J tells the two
 * kinds of DL4J configuration apart.
 *
 * <p><b>Node names.</b> In a graph a node is a vertex and keeps the vertex name. In a
 * multi-layer network a layer node is named by its layer name (DL4J names unnamed layers
 * {@code "layer<i>"}) or, where that name is missing or shared by several layers, by its index as
 * a string ({@code "#"} in front until it is unique); the input node is {@code "input"}
 * ({@code "_"} in front until it is unique). The same configuration always gives the same names.
 *
 * <p><b>Ownership.</b> {@link #of} wraps the given configuration without copying it; methods that
 * compute something ({@link #outputTypes}, {@link #rebuild}, {@link #parameterCount}) work on
 * copies and never modify it. {@link #build} builds a network on the wrapped object itself: call
 * it on a {@link #copy()} unless the configuration is yours.
 */
public sealed interface Dl4jConfiguration permits MultiLayerConfig, GraphConfig {

    /**
     * @param configuration a multi-layer network configuration (wrapped, not copied)
     * @return the adapter
     */
    static Dl4jConfiguration of(MultiLayerConfiguration configuration) {
        return new MultiLayerConfig(Checks.requireNonNull("Dl4jConfiguration", "configuration", configuration));
    }

    /**
     * @param configuration a graph configuration (wrapped, not copied)
     * @return the adapter
     */
    static Dl4jConfiguration of(ComputationGraphConfiguration configuration) {
        return new GraphConfig(Checks.requireNonNull("Dl4jConfiguration", "configuration", configuration));
    }

    /**
     * Reads a configuration written by {@link #toJson()}.
     *
     * @param type which kind of network the JSON describes
     * @param json DL4J's JSON of the configuration
     * @return the configuration
     * @throws RuntimeException what DL4J throws for JSON it cannot read
     */
    static Dl4jConfiguration fromJson(NetworkType type, String json) {
        Checks.requireNonNull("Dl4jConfiguration", "type", type);
        return type == NetworkType.GRAPH ? of(ComputationGraphConfiguration.fromJson(json))
                : of(MultiLayerConfiguration.fromJson(json));
    }

    /** @return multi-layer network or graph */
    NetworkType type();

    /** @return an independent deep copy (DL4J's {@code clone()}) */
    Dl4jConfiguration copy();

    /** @return DL4J's JSON of the configuration */
    String toJson();

    /**
     * Every node in topological order, network inputs first (see the class comment for names).
     *
     * @return the nodes
     */
    List<NodeSpec> nodes();

    /**
     * @param name a node name
     * @return the node
     * @throws IllegalArgumentException when there is no such node (the message lists them)
     */
    default NodeSpec node(String name) {
        for (NodeSpec n : nodes()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("Dl4jConfiguration: no node named '" + name + "'; the nodes are "
                + nodes().stream().map(NodeSpec::name).toList() + ".");
    }

    /** @return the names of the network inputs, in input order */
    List<String> inputNames();

    /** @return the names of the network outputs, in output order */
    List<String> outputNames();

    /**
     * The type of every node's output for the given network input types, computed by DL4J's shape
     * inference on a copy (DL4J sets preprocessors and {@code nIn} on the configuration it
     * infers on).
     *
     * @param inputTypes one type per network input, in input order
     * @return node name to output type, network inputs included
     * @throws IllegalArgumentException when the number of types is wrong or DL4J rejects them (the
     *                                  message says so and how to fix it)
     */
    Map<String, InputType> outputTypes(InputType... inputTypes);

    /**
     * The layer configurations of the wrapped configuration (not copies), in node order: for
     * changing settings of a {@link #copy()} before {@link #build}.
     *
     * @return the layers
     */
    List<Layer> layers();

    /**
     * A new network on this configuration object (not copied), initialised with new parameters.
     *
     * @return the network
     */
    Dl4jNetwork build();

    /**
     * A new network on this configuration object (not copied), initialised with the given
     * parameters.
     *
     * @param params the flat parameter vector, used as the network's parameter array (not copied)
     * @return the network
     */
    Dl4jNetwork build(INDArray params);

    /**
     * A new network of the same type and global settings, with layers kept, removed or replaced
     * as the transform says. This configuration is not modified.
     *
     * @param transform what each node becomes
     * @return the initialised network and where each source layer went
     * @throws IllegalArgumentException when a layer that cannot be removed is removed
     */
    RebuiltNetwork rebuild(NetworkTransform transform);

    /**
     * The number of parameters a network of this configuration has, by DL4J's own parameter
     * initialisers (no network is built).
     *
     * @return the count
     */
    long parameterCount();

    /**
     * The number of parameters DL4J allocates for one layer configuration. Asks the layer's
     * initialiser through a {@code NeuralNetConfiguration}: in DL4J 1.0.0-M2.1
     * {@code CenterLossParamInitializer} counts its class centres only there (its
     * {@code numParams(Layer)} leaves them out).
     *
     * @param layer a layer configuration (not modified)
     * @return the count
     */
    static long parameterCount(Layer layer) {
        NeuralNetConfiguration c = new NeuralNetConfiguration();
        c.setLayer(layer);
        return layer.initializer().numParams(c);
    }
}
