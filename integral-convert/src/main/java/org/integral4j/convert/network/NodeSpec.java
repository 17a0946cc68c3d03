package org.integral4j.convert.network;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One node of a network configuration: a network input, a layer, or a graph vertex without a
 * layer, with its configuration objects and the nodes it reads.
 *
 * <p>The configuration objects are DL4J's own (mutable) ones of the configuration the node was
 * read from: read them, never modify them.
 *
 * @param name         the node's name, unique in its network (see {@link Dl4jConfiguration#nodes()})
 * @param kind         input, layer or vertex
 * @param layer        the layer configuration of a layer node (as stored, e.g. a {@code FrozenLayer}
 *                     wrapper), else null
 * @param vertex       the vertex configuration of a graph node ({@code LayerVertex} for a graph's
 *                     layers), else null
 * @param preProcessor the preprocessor applied to the node's input, else null
 * @param inputs       the names of the nodes this node reads, in input order
 * @param paramPrefix  what the network puts in front of a layer-local parameter key in
 *                     {@code paramTable()}: {@code "<index>_"} in a multi-layer network,
 *                     {@code "<name>_"} in a graph, {@code ""} for inputs
 */
public record NodeSpec(String name, Kind kind, Layer layer, GraphVertex vertex, InputPreProcessor preProcessor,
                       List<String> inputs, String paramPrefix) {

    /** What a node is. */
    public enum Kind {
        /** A network input: no configuration, no parameters, no inputs. */
        INPUT,
        /** A layer: a {@code MultiLayerNetwork} layer or a graph's {@code LayerVertex}. */
        LAYER,
        /** A graph vertex without a layer ({@code ElementWiseVertex}, {@code MergeVertex}, ...). */
        VERTEX
    }

    /** Copies the input list. */
    public NodeSpec {
        inputs = List.copyOf(inputs);
    }

    /** @return the layer configuration, empty for inputs and vertices */
    public Optional<Layer> layerConfiguration() {
        return Optional.ofNullable(layer);
    }

    /** @return the vertex configuration, empty for inputs and multi-layer network layers */
    public Optional<GraphVertex> vertexConfiguration() {
        return Optional.ofNullable(vertex);
    }

    /** @return the preprocessor applied to the node's input, if any */
    public Optional<InputPreProcessor> inputPreProcessor() {
        return Optional.ofNullable(preProcessor);
    }
}
