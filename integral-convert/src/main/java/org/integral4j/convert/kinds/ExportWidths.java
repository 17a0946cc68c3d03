package org.integral4j.convert.kinds;

import java.util.OptionalInt;

/**
 * The channel counts a layer gets in an exported plain network: the current sizes of its
 * continuous groups; a discrete axis keeps the layer's own size.
 *
 * @param inChannels        the current size of the input group, empty when the input is discrete
 * @param outChannels       the current size of the output group, empty when the output is discrete
 * @param inBlocks          how a dense layer's inputs hold the channels of a flattened feature map
 * @param receivesBatchNorm whether a batch norm was folded into this layer (it then needs a bias)
 */
public record ExportWidths(OptionalInt inChannels, OptionalInt outChannels, InputBlocks inBlocks,
                           boolean receivesBatchNorm) {

    /**
     * @param full the layer's own input channel count
     * @return the exported input channel count
     */
    public long in(long full) {
        return inChannels.isPresent() ? inChannels.getAsInt() : full;
    }

    /**
     * @param full the layer's own output channel count
     * @return the exported output channel count
     */
    public long out(long full) {
        return outChannels.isPresent() ? outChannels.getAsInt() : full;
    }
}
