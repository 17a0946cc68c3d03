package org.integral4j.convert.kinds;

import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.integral4j.util.Checks;

/**
 * How a dense layer's input axis holds the channels of a flattened feature map: each channel owns
 * {@code featuresPerChannel} inputs ({@code h·w} of a {@code CnnToFeedForwardPreProcessor}), in
 * blocks (NCHW: channel {@code c} owns inputs {@code [c·hw, (c+1)·hw)}) or interleaved
 * (channels-last NHWC: channel {@code c} owns inputs {@code c, c + C, c + 2C, ...}).
 *
 * @param featuresPerChannel inputs per channel, at least 1 (1: no flatten)
 * @param order              blocks or interleaved
 */
public record InputBlocks(int featuresPerChannel, FlattenOrder order) {

    /** One input per channel: the input is not a flattened feature map. */
    public static final InputBlocks NONE = new InputBlocks(1, FlattenOrder.CHANNEL_BLOCKS);

    /** Checks the arguments. */
    public InputBlocks {
        Checks.require(featuresPerChannel >= 1, "InputBlocks", "featuresPerChannel must be at least 1, got %d.",
                featuresPerChannel);
        Checks.requireNonNull("InputBlocks", "order", order);
    }

    /** @return whether the channels are interleaved (channels-last flatten) */
    public boolean channelsLast() {
        return order == FlattenOrder.INTERLEAVED;
    }
}
