package org.integral4j.convert.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/** {@link Dl4jNetwork} of a {@link ComputationGraph}. */
final class GraphNet implements Dl4jNetwork {

    private final ComputationGraph graph;

    GraphNet(ComputationGraph graph) {
        this.graph = graph;
    }

    @Override
    public NetworkType type() {
        return NetworkType.GRAPH;
    }

    @Override
    public Model model() {
        return graph;
    }

    @Override
    public MultiLayerNetwork multiLayerNetwork() {
        throw new IllegalStateException("This network is a ComputationGraph, not a MultiLayerNetwork.");
    }

    @Override
    public ComputationGraph computationGraph() {
        return graph;
    }

    @Override
    public boolean isInitialised() {
        return graph.getVertices() != null;
    }

    @Override
    public GraphConfig configuration() {
        return new GraphConfig(graph.getConfiguration());
    }

    @Override
    public List<NodeSpec> nodes() {
        Checks.require(isInitialised(), "ComputationGraph", "the graph is not initialised."
                + " Fix: call graph.init() first.");
        List<String> order = graph.getConfiguration().getTopologicalOrderStr();
        if (order == null) {
            order = new ArrayList<>();
            GraphVertex[] vertices = graph.getVertices();
            for (int idx : graph.topologicalSortOrder()) {
                order.add(vertices[idx].getVertexName());
            }
        }
        return configuration().nodes(order);
    }

    @Override
    public OptionalInt index(String node) {
        GraphVertex v = graph.getVertex(node);
        Checks.require(v != null, "ComputationGraph", "no vertex named '%s'.", node);
        return OptionalInt.of(v.getVertexIndex());
    }

    @Override
    public Layer layer(String name) {
        Layer l = graph.getLayer(name);
        if (l == null) {
            List<String> names = new ArrayList<>();
            for (Layer x : layers()) {
                names.add(x.conf().getLayer().getLayerName());
            }
            throw new IllegalArgumentException("ComputationGraph: no layer named '" + name + "'; the layers are "
                    + names + ".");
        }
        return l;
    }

    @Override
    public List<Layer> layers() {
        return graph.getLayers() == null ? List.of() : List.of(graph.getLayers());
    }

    @Override
    public Collection<TrainingListener> listeners() {
        Collection<TrainingListener> l = graph.getListeners();
        return l == null ? List.of() : new ArrayList<>(l);
    }

    @Override
    public void setListeners(Collection<? extends TrainingListener> listeners) {
        graph.setListeners(new ArrayList<TrainingListener>(listeners));
    }

    @Override
    public INDArray[] output(INDArray... inputs) {
        requireInputs(inputs);
        return graph.output(false, inputs);
    }

    private void requireInputs(INDArray[] inputs) {
        Checks.requireNonNull("ComputationGraph", "inputs", inputs);
        Checks.require(inputs.length == graph.getNumInputArrays(), "ComputationGraph",
                "the graph has %d input(s) %s, got %d arrays.", graph.getNumInputArrays(),
                graph.getConfiguration().getNetworkInputs(), inputs.length);
    }

    @Override
    public Map<String, INDArray> activations(INDArray... inputs) {
        requireInputs(inputs);
        return withInputs(inputs, graph.feedForward(inputs, false));
    }

    /** The network inputs under their names, then DL4J's activations (in a new map). */
    private Map<String, INDArray> withInputs(INDArray[] inputs, Map<String, INDArray> acts) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<String> names = graph.getConfiguration().getNetworkInputs();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), inputs[i]);
        }
        acts.forEach(out::putIfAbsent);
        return out;
    }

    /**
     * The vertices up to {@code last} in the graph's topological order, with DL4J's partial forward
     * pass {@code feedForward(inputs, position, train, clearInputs)}, whose {@code position} is an
     * index into {@code topologicalSortOrder()} (the three-argument single-input form reads it as a
     * layer index instead, so it is not used).
     */
    @Override
    public Map<String, INDArray> activationsTo(String last, INDArray... inputs) {
        configuration().node(last);
        requireInputs(inputs);
        int vertex = graph.getVertex(last).getVertexIndex();
        int[] order = graph.topologicalSortOrder();
        int position = -1;
        for (int i = 0; i < order.length && position < 0; i++) {
            if (order[i] == vertex) {
                position = i;
            }
        }
        return withInputs(inputs, graph.feedForward(inputs, position, false, true));
    }

    @Override
    public double fit(DataSet batch) {
        graph.fit(batch);
        return graph.score();
    }

    @Override
    public INDArray layerInput(String layer, Map<String, INDArray> activations) {
        NodeSpec node = configuration().node(layer);
        Checks.require(node.kind() == NodeSpec.Kind.LAYER && node.inputs().size() == 1, layer,
                "not a single-input layer of this graph.");
        INDArray in = activations.get(node.inputs().get(0));
        Checks.require(in != null, layer, "the activations do not hold this layer's input '%s'.",
                node.inputs().get(0));
        InputPreProcessor p = node.preProcessor();
        return p == null ? in : p.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces());
    }

    @Override
    public Dl4jNetwork convertDataType(DataType type) {
        return new GraphNet(graph.convertDataType(type));
    }

    @Override
    public Dl4jNetwork copy() {
        return new GraphNet(graph.clone());
    }

    @Override
    public String toString() {
        return "ComputationGraph, inputs " + graph.getConfiguration().getNetworkInputs() + ", outputs "
                + graph.getConfiguration().getNetworkOutputs();
    }
}
