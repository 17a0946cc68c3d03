package org.integral4j.convert;

import java.util.List;
import org.integral4j.convert.kinds.InputBlocks;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.network.NodeSpec;

/**
 * How one node of the source network was converted: what it is, which channel groups its input
 * and output axes belong to (null when discrete), whether its batch norm was folded into a
 * convolution, and the layers that represent it in the integral network. Enough to export plain
 * networks later without the source network.
 *
 * @param name              the source node's name
 * @param nodeKind          input, layer or vertex
 * @param kind              what the layer is ({@link LayerKinds#OTHER} for vertices, inputs and
 *                          unregistered layers)
 * @param inGroup           the continuous group of the input channel axis, or null
 * @param outGroup          the continuous group of the output channel axis, or null
 * @param fusedInto         for a folded batch norm: the convolution it went into, else null
 * @param receivesBatchNorm whether a batch norm was folded into this convolution
 * @param inBlocks          for a dense layer fed by a flatten: the features of each input channel
 * @param integralLayers    the node names, in the integral network, of the layers that represent it
 */
record NodeRecord(String name, NodeSpec.Kind nodeKind, LayerKind kind, String inGroup, String outGroup,
                  String fusedInto, boolean receivesBatchNorm, InputBlocks inBlocks, List<String> integralLayers) {

    /** Copies the list. */
    NodeRecord {
        integralLayers = List.copyOf(integralLayers);
    }

    /**
     * The same record with the integral network's layers.
     *
     * @param layers node names in the integral network
     * @return a new record
     */
    NodeRecord withLayers(List<String> layers) {
        return new NodeRecord(name, nodeKind, kind, inGroup, outGroup, fusedInto, receivesBatchNorm, inBlocks, layers);
    }
}
