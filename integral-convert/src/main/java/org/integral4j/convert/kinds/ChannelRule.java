package org.integral4j.convert.kinds;

import java.util.Optional;
import java.util.Set;
import org.integral4j.util.Checks;

/**
 * How the channel-group analysis treats a layer: which of its parameter axes carry which channels,
 * and what it emits. Parameter axes are in DL4J's layout as the layer reports it
 * ({@link LayerKind#fromStorage}). The analysis interprets these rules; a layer kind picks one.
 */
public sealed interface ChannelRule {

    /**
     * A weight that reads the input channels on one axis and emits a new channel group on
     * another, with an optional bias {@code b} per output channel: convolutions
     * ({@code W: [out, in, kH, kW]}: in axis 1, out axis 0) and dense layers
     * ({@code W: [in, out]}: in axis 0, out axis 1).
     *
     * @param key            the weight's key, e.g. {@code "W"}
     * @param inAxis         the axis of the input channels
     * @param outAxis        the axis of the output channels
     * @param rank           the weight's rank
     * @param output         the layout of the layer's output
     * @param readsFlattened whether the input may be a flattened feature map (dense layers: each
     *                       input channel then owns a block of inputs); false for convolutions
     */
    record Weighted(String key, int inAxis, int outAxis, int rank, ActivationLayout output, boolean readsFlattened)
            implements ChannelRule {
        /** Checks the axes. */
        public Weighted {
            Checks.require(inAxis != outAxis && inAxis >= 0 && outAxis >= 0 && inAxis < rank && outAxis < rank,
                    "ChannelRule.Weighted", "axes in %d and out %d must differ and lie in [0, %d).", inAxis, outAxis,
                    rank);
        }
    }

    /**
     * A separable convolution: a depthwise part ({@code W: [m, in, kH, kW]}, input channels on
     * axis 1) and a pointwise part ({@code pW: [out, in·m, 1, 1]}) that reads the input group with
     * {@code m} indices per channel on axis 1 and emits a new group on axis 0, with an optional
     * bias {@code b: [out]}.
     *
     * @param depthwiseKey the depthwise weight's key
     * @param pointwiseKey the pointwise weight's key
     * @param multiplier   the depth multiplier {@code m}
     * @param output       the layout of the layer's output
     */
    record Separable(String depthwiseKey, String pointwiseKey, int multiplier, ActivationLayout output)
            implements ChannelRule {
    }

    /**
     * Parameters with one value per channel of the input group, which the layer also emits
     * (batch normalisation: {@code gamma, beta, mean, log10stdev|var}, each {@code [n]}).
     *
     * @param keys the parameter keys allowed (each optional)
     */
    record PerChannel(Set<String> keys) implements ChannelRule {
        /** Copies the keys. */
        public PerChannel {
            keys = Set.copyOf(keys);
        }
    }

    /**
     * A depthwise convolution: each input channel {@code c} has its own {@code m} filters
     * (depth multiplier) and emits output channels {@code c·m .. c·m + m - 1}, so the output
     * carries the input group with {@code m} indices per channel; an optional bias
     * {@code b: [in·m]} too.
     *
     * @param key         the weight's key
     * @param channelAxis the weight's axis of the input channels
     * @param rank        the weight's rank
     * @param multiplier  the depth multiplier {@code m}
     * @param output      the layout of the layer's output
     */
    record Depthwise(String key, int channelAxis, int rank, int multiplier, ActivationLayout output)
            implements ChannelRule {
    }

    /**
     * No parameters on the channel axis: the output carries the input's channels (activations,
     * pooling, padding, dropout, losses).
     *
     * @param output the layout after the layer, or empty when it is the input's
     */
    record PassThrough(Optional<ActivationLayout> output) implements ChannelRule {
    }

    /**
     * Accepted, but the order and number of the channels it reads mean something (e.g. the box
     * and class slots of YOLO's output layer): every group it reads or emits stays discrete.
     *
     * @param why why the channels must stay as they are, for the analysis' causes
     */
    record FixedChannels(String why) implements ChannelRule {
    }

    /**
     * Known, but without an integral counterpart: a layer of this kind is unsupported by the
     * analysis wherever a channel group it touches would otherwise be resampled.
     *
     * @param why why it cannot be converted (one sentence), for the analysis' message
     */
    record NotConvertible(String why) implements ChannelRule {
    }
}
