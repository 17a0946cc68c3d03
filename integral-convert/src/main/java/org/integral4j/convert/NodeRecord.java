package org.integral4j.convert;

import java.util.List;

/**
 * How one node of the source network was converted: what it is, which channel groups its input
 * and output axes belong to (null when discrete), whether its batch norm was folded into a
 * convolution, and the layers that represent it in the integral network. Enough to export plain
 * networks later without the source network.
 *
 * @param node                   the source node
 * @param kind                   what the layer is ({@link LayerKind#OTHER} for vertices and inputs)
 * @param inGroup                the continuous group of the input channel axis, or null
 * @param outGroup               the continuous group of the output channel axis, or null
 * @param fusedInto              for a folded batch norm: the convolution it went into, else null
 * @param receivesBatchNorm      whether a batch norm was folded into this convolution
 * @param inBlock                for a dense layer fed by a flatten: features per input channel (h*w), else 1
 * @param channelsLast           whether those features are interleaved channels-last (NHWC flatten)
 * @param integralLayers         the integral network's layer names (graph) or indices (multi-layer)
 */
record NodeRecord(NetworkRebuilder.SourceNode node, LayerKind kind, String inGroup, String outGroup, String fusedInto,
                  boolean receivesBatchNorm, int inBlock, boolean channelsLast, List<String> integralLayers) {

    /**
     * The same record with the integral network's layers.
     *
     * @param layers layer names or indices
     * @return a new record
     */
    NodeRecord withLayers(List<String> layers) {
        return new NodeRecord(node, kind, inGroup, outGroup, fusedInto, receivesBatchNorm, inBlock, channelsLast,
                layers);
    }

    /**
     * The name of the source node.
     *
     * @return the name
     */
    String name() {
        return node.name();
    }
}
