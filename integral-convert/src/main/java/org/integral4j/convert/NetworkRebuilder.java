package org.integral4j.convert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.util.Checks;

/**
 * Builds a new network of the same type and global settings as a source configuration, with some
 * nodes replaced: a layer may become another layer, a chain of layers (the last keeps the
 * node's name, so graph outputs and consumers are unchanged), or nothing (its consumers then read
 * its single input). The source configuration is cloned, never modified.
 */
final class NetworkRebuilder {

    /**
     * A node of the source network: its name, and its index for a multi-layer network (-1 for the
     * input and for graph vertices).
     *
     * @param name   the node name (graph vertex name, or the layer's name in a multi-layer network)
     * @param index  the layer index in a multi-layer network, else -1
     * @param kind   input, layer or vertex
     */
    record SourceNode(String name, int index, Kind kind) {
        /** What a node is. */
        enum Kind {
            /** A network input. */
            INPUT,
            /** A layer. */
            LAYER,
            /** A non-layer graph vertex. */
            VERTEX
        }
    }

    /** What each node becomes. */
    interface Transform {
        /**
         * The layers a layer node becomes.
         *
         * @param node  the node
         * @param layer its layer configuration in the source (do not modify)
         * @return null to keep it, an empty list to remove it, else the replacement chain
         */
        List<Layer> layers(SourceNode node, Layer layer);

        /**
         * The preprocessor in front of a layer node (of its first replacement layer).
         *
         * @param node     the node
         * @param original its current preprocessor, or null
         * @return the preprocessor to use, or null
         */
        InputPreProcessor preProcessor(SourceNode node, InputPreProcessor original);

        /**
         * The replacement of a non-layer vertex.
         *
         * @param node     the node
         * @param original its configuration
         * @return the vertex to use
         */
        GraphVertex vertex(SourceNode node, GraphVertex original);
    }

    /**
     * The rebuilt network and where each source node went.
     *
     * @param network the initialised network
     * @param layers  source node name to the names (graph) or indices (as strings) of its layers
     */
    record Result(Model network, Map<String, List<String>> layers) {
    }

    private NetworkRebuilder() {
    }

    /**
     * Rebuilds a multi-layer network.
     *
     * @param source    the source configuration (cloned)
     * @param nodes     the source's nodes in order
     * @param transform the replacements
     * @return the initialised network
     */
    static Result rebuild(MultiLayerConfiguration source, List<SourceNode> nodes, Transform transform) {
        MultiLayerConfiguration conf = source.clone();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (SourceNode node : nodes) {
            if (node.kind() != SourceNode.Kind.LAYER) {
                continue;
            }
            NeuralNetConfiguration original = source.getConf(node.index());
            List<Layer> layers = transform.layers(node, original.getLayer());
            if (layers == null) {
                layers = List.of(original.getLayer().clone());
            }
            InputPreProcessor p = transform.preProcessor(node, source.getInputPreProcess(node.index()));
            if (layers.isEmpty()) {
                Checks.require(p == null, node.name(), "a removed layer cannot carry an input preprocessor (%s).", p);
                where.put(node.name(), List.of());
                continue;
            }
            List<String> indices = new ArrayList<>();
            for (int k = 0; k < layers.size(); k++) {
                NeuralNetConfiguration c = original.clone();
                c.setLayer(layers.get(k));
                if (k == 0 && p != null) {
                    pre.put(confs.size(), p);
                }
                indices.add(String.valueOf(confs.size()));
                confs.add(c);
            }
            where.put(node.name(), indices);
        }
        conf.setConfs(confs);
        conf.setInputPreProcessors(pre);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new Result(net, where);
    }

    /**
     * Rebuilds a computation graph.
     *
     * @param source    the source configuration (cloned)
     * @param nodes     the source's nodes in topological order
     * @param transform the replacements
     * @return the initialised graph
     */
    static Result rebuild(ComputationGraphConfiguration source, List<SourceNode> nodes, Transform transform) {
        ComputationGraphConfiguration conf = source.clone();
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        Map<String, GraphVertex> vertices = new LinkedHashMap<>(conf.getVertices());
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        conf.getVertexInputs().forEach((k, v) -> inputs.put(k, new ArrayList<>(v)));
        List<String> outputs = new ArrayList<>(conf.getNetworkOutputs());
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (SourceNode node : nodes) {
            String name = node.name();
            if (node.kind() == SourceNode.Kind.VERTEX) {
                vertices.put(name, transform.vertex(node, vertices.get(name)));
                continue;
            }
            if (node.kind() != SourceNode.Kind.LAYER) {
                continue;
            }
            LayerVertex lv = (LayerVertex) vertices.get(name);
            List<Layer> layers = transform.layers(node, lv.getLayerConf().getLayer());
            InputPreProcessor p = transform.preProcessor(node, lv.getPreProcessor());
            if (layers == null) {
                vertices.put(name, new LayerVertex(lv.getLayerConf().clone(), p));
                where.put(name, List.of(name));
                continue;
            }
            if (layers.isEmpty()) {
                Checks.require(p == null && inputs.get(name).size() == 1 && !outputs.contains(name), name,
                        "only a single-input, non-output layer without a preprocessor can be removed.");
                String from = inputs.get(name).get(0);
                vertices.remove(name);
                inputs.remove(name);
                for (List<String> in : inputs.values()) {
                    in.replaceAll(s -> s.equals(name) ? from : s);
                }
                where.put(name, List.of());
                continue;
            }
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
            where.put(name, names);
        }
        conf.setVertices(vertices);
        conf.setVertexInputs(inputs);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return new Result(graph, where);
    }
}
