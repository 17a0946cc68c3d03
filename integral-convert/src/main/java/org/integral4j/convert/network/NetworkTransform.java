package org.integral4j.convert.network;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * What each node becomes when a configuration is rebuilt ({@link Dl4jConfiguration#rebuild}).
 * Every method receives the source's own configuration objects: read them, never modify them;
 * return new objects (or {@code clone()}s).
 */
public interface NetworkTransform {

    /**
     * What a layer becomes.
     *
     * @param node  the source node
     * @param layer its layer configuration (do not modify)
     * @return keep, remove or replace it
     */
    Replacement layer(NodeSpec node, Layer layer);

    /**
     * The preprocessor in front of a layer (in front of the first layer of its replacement).
     *
     * @param node     the source node
     * @param original its preprocessor, or null (do not modify)
     * @return the preprocessor to use, or null for none
     */
    default InputPreProcessor preProcessor(NodeSpec node, InputPreProcessor original) {
        return original == null ? null : original.clone();
    }

    /**
     * The replacement of a graph vertex that is not a layer.
     *
     * @param node     the source node
     * @param original its configuration (do not modify)
     * @return the vertex to use
     */
    default GraphVertex vertex(NodeSpec node, GraphVertex original) {
        return original.clone();
    }
}
