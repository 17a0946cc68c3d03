package org.integral4j.convert.network;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/**
 * A DL4J network, {@link MultiLayerNetwork} or {@link ComputationGraph}, behind one interface:
 * its configuration, its nodes and layers by name (names as in {@link Dl4jConfiguration}),
 * parameters, listeners, output, and the activations of every node for an input. Integral4J tells
 * the two kinds of DL4J network apart only here and in {@link Dl4jConfiguration}; everything else
 * works on this interface.
 *
 * <p>The adapter wraps the network, it does not copy it: the arrays it returns from
 * {@link #params()} and {@link #layer} are the network's own. Methods that compute something
 * ({@link #output}, {@link #activations}) run in inference mode and do not change parameters.
 */
public sealed interface Dl4jNetwork permits MultiLayerNet, GraphNet {

    /**
     * @param model a {@link MultiLayerNetwork} or {@link ComputationGraph} (wrapped, not copied)
     * @return the adapter
     * @throws IllegalArgumentException for null or any other kind of model
     */
    static Dl4jNetwork of(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return new MultiLayerNet(mln);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphNet(graph);
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()) + ".");
    }

    /**
     * @param network a multi-layer network (wrapped, not copied)
     * @return the adapter
     */
    static Dl4jNetwork of(MultiLayerNetwork network) {
        return new MultiLayerNet(Checks.requireNonNull("Dl4jNetwork", "network", network));
    }

    /**
     * @param graph a computation graph (wrapped, not copied)
     * @return the adapter
     */
    static Dl4jNetwork of(ComputationGraph graph) {
        return new GraphNet(Checks.requireNonNull("Dl4jNetwork", "graph", graph));
    }

    /** @return multi-layer network or graph */
    NetworkType type();

    /** @return the wrapped network */
    Model model();

    /**
     * @return the wrapped network as a multi-layer network
     * @throws IllegalStateException when it is a graph
     */
    MultiLayerNetwork multiLayerNetwork();

    /**
     * @return the wrapped network as a computation graph
     * @throws IllegalStateException when it is a multi-layer network
     */
    ComputationGraph computationGraph();

    /** @return whether {@code init()} has been called */
    boolean isInitialised();

    /**
     * @return the network's own configuration (wrapped, not copied: {@link Dl4jConfiguration#copy()}
     *         before changing it)
     */
    Dl4jConfiguration configuration();

    /**
     * Every node in DL4J's topological order, network inputs first.
     *
     * @return the nodes
     * @throws IllegalArgumentException when the network is not initialised
     */
    List<NodeSpec> nodes();

    /**
     * DL4J's index of a node: the layer index in a multi-layer network (empty for its input node),
     * the runtime vertex index ({@code GraphVertex.getVertexIndex()}) in a graph.
     *
     * @param node a node name
     * @return the index, or empty
     * @throws IllegalArgumentException when there is no such node
     */
    OptionalInt index(String node);

    /** @return the names of the network inputs, in input order */
    default List<String> inputNames() {
        return configuration().inputNames();
    }

    /** @return the names of the network outputs, in output order */
    default List<String> outputNames() {
        return configuration().outputNames();
    }

    /**
     * The runtime layer of a layer node.
     *
     * @param name a layer node name
     * @return the layer (the network's own)
     * @throws IllegalArgumentException when there is no layer of that name (the message lists them)
     */
    Layer layer(String name);

    /**
     * The runtime layers in network order (a multi-layer network's index order, a graph's vertex
     * order).
     *
     * @return the layers (the network's own); empty when the network is not initialised
     */
    List<Layer> layers();

    /** @return the flat parameter vector (the network's own) */
    default INDArray params() {
        return model().params();
    }

    /** @return the number of parameters */
    default long numParams() {
        return model().numParams();
    }

    /** @return the training listeners (a copy of the list; empty when none) */
    Collection<TrainingListener> listeners();

    /**
     * Replaces the training listeners.
     *
     * @param listeners the new listeners
     */
    void setListeners(Collection<? extends TrainingListener> listeners);

    /**
     * The network's outputs in inference mode.
     *
     * @param inputs one array per network input (not modified)
     * @return one array per network output, detached from any workspace
     * @throws IllegalArgumentException when the number of inputs does not match the network
     */
    INDArray[] output(INDArray... inputs);

    /**
     * The output of every node for one input, in inference mode.
     *
     * @param inputs one array per network input (not modified)
     * @return node name to its output activations (network inputs map to themselves), detached
     */
    Map<String, INDArray> activations(INDArray... inputs);

    /**
     * The output of every node up to a given one (in topological order) for one input, in
     * inference mode: cheaper than {@link #activations} for an early node of a multi-layer network.
     *
     * @param last   the last node to compute
     * @param inputs one array per network input (not modified)
     * @return node name to its output activations, at least for {@code last} and the nodes before
     *         it (network inputs map to themselves), detached
     */
    Map<String, INDArray> activationsTo(String last, INDArray... inputs);

    /**
     * One step of training on a batch ({@code fit(DataSet)} of the network).
     *
     * @param batch features and labels
     * @return the score (loss) after the step
     */
    double fit(DataSet batch);

    /**
     * The array a layer reads for an input: the output of the node before it, passed through the
     * layer's input preprocessor (e.g. a flatten).
     *
     * @param layer       a layer node name
     * @param activations the network's activations for the input, from {@link #activations}
     * @return the layer's input
     */
    INDArray layerInput(String layer, Map<String, INDArray> activations);

    /**
     * The array a layer reads for an input (see {@link #layerInput(String, Map)}), computing only
     * the nodes up to the layer.
     *
     * @param layer  a layer node name
     * @param inputs one array per network input (not modified)
     * @return the layer's input
     */
    default INDArray layerInput(String layer, INDArray... inputs) {
        return layerInput(layer, activationsTo(layer, inputs));
    }

    /**
     * A copy of the network in another floating-point type (DL4J's {@code convertDataType}).
     *
     * @param type e.g. {@code DataType.DOUBLE}
     * @return a new network; this one is not modified
     */
    Dl4jNetwork convertDataType(DataType type);

    /** @return an independent copy (DL4J's {@code clone()}: configuration, parameters, updater state) */
    Dl4jNetwork copy();
}
