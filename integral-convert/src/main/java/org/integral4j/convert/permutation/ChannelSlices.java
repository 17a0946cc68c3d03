package org.integral4j.convert.permutation;

import java.util.Arrays;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The channels that one tensor contributes to a channel group: a tensor in canonical layout, the
 * axis along which the group's channels run, and which indices of that axis belong to which
 * channel. The tensor is referenced, never modified.
 *
 * <p>A group of {@code C} channels owns the block {@code [start, start + C·L)} of the axis, where
 * {@code L = blockLength} is the number of axis indices per channel. Channel {@code c} (in
 * {@code [0, C)}) at position {@code p} (in {@code [0, L)}) is axis index
 * <ul>
 *   <li>{@link FlattenOrder#CHANNEL_BLOCKS}: {@code start + c·L + p} (channel {@code c} owns the
 *       contiguous indices {@code [start + c·L, start + (c+1)·L)}), or</li>
 *   <li>{@link FlattenOrder#INTERLEAVED}: {@code start + p·C + c}.</li>
 * </ul>
 * The common cases:
 * <ul>
 *   <li>out-channels of a conv {@code W: (out*, in, kH, kW)}: {@code of(W, 0)};</li>
 *   <li>in-channels of the next conv {@code W: (out, in*, kH, kW)}: {@code of(W, 1)};</li>
 *   <li>one input of a concatenation: {@code builder(W, 1).block(offset, C)};</li>
 *   <li>a dense layer {@code W: (out, in*)} after a flatten of {@code [C, h, w]} (DL4J
 *       {@code CnnToFeedForwardPreProcessor}): {@code builder(W, 1).blockLength(h·w)};</li>
 *   <li>the same after a channels-last flatten of {@code [h, w, C]} (Keras import):
 *       {@code builder(W, 1).blockLength(h·w).flattenOrder(FlattenOrder.INTERLEAVED)}.</li>
 * </ul>
 *
 * <p>The <em>row</em> of channel {@code c} is the set of all tensor elements whose axis index
 * belongs to {@code c}; it holds {@link #rowLength()} {@code = L · (numel / axisLength)} values,
 * matched between channels by position and by their indices on the other axes. Distances and total
 * variation ({@link DistanceMatrix}, {@link TotalVariation}) compare rows.
 *
 * <p>Instances are immutable (the tensor is referenced, not copied: do not modify it while a
 * computation that reads it runs).
 */
public final class ChannelSlices {

    /** How the {@code blockLength} indices of the channels are laid out along the axis. */
    public enum FlattenOrder {
        /** Channel {@code c} owns the contiguous indices {@code start + c·L + p}, p in [0, L). */
        CHANNEL_BLOCKS,
        /** Channel {@code c} owns the indices {@code start + p·C + c}, p in [0, L) (channels last). */
        INTERLEAVED
    }

    private final String name;
    private final INDArray tensor;
    private final int axis;
    private final int start;
    private final int channels;
    private final int blockLength;
    private final FlattenOrder flattenOrder;

    private ChannelSlices(Builder b, int channels) {
        this.name = b.name;
        this.tensor = b.tensor;
        this.axis = b.axis;
        this.start = b.start;
        this.channels = channels;
        this.blockLength = b.blockLength;
        this.flattenOrder = b.flattenOrder;
    }

    /**
     * All indices of {@code axis} are channels, one index per channel.
     *
     * @param tensor the tensor (not modified), e.g. {@code W: (out, in, kH, kW)}
     * @param axis   the channel axis, in {@code [0, rank)}
     * @return the slices
     * @throws IllegalArgumentException if the tensor is null or empty or the axis is out of range
     */
    public static ChannelSlices of(INDArray tensor, int axis) {
        return builder(tensor, axis).build();
    }

    /**
     * Starts a description with a block offset, block length or flatten order.
     *
     * @param tensor the tensor (not modified)
     * @param axis   the channel axis, in {@code [0, rank)}
     * @return a builder; its defaults describe the whole axis with one index per channel
     */
    public static Builder builder(INDArray tensor, int axis) {
        return new Builder(tensor, axis);
    }

    /** @return a name used in error messages and logs (default: the tensor's shape and axis) */
    public String name() {
        return name;
    }

    /** @return the tensor, canonical layout; not a copy: do not modify it */
    public INDArray tensor() {
        return tensor;
    }

    /** @return the channel axis */
    public int axis() {
        return axis;
    }

    /** @return the first axis index of the block */
    public int start() {
        return start;
    }

    /** @return the number of channels C */
    public int channels() {
        return channels;
    }

    /** @return the number of axis indices per channel, L */
    public int blockLength() {
        return blockLength;
    }

    /** @return how channels and positions map to axis indices */
    public FlattenOrder flattenOrder() {
        return flattenOrder;
    }

    /** @return the exclusive end of the block, {@code start + C·L} */
    public int end() {
        return start + channels * blockLength;
    }

    /** @return the length of the tensor along the channel axis */
    public long axisLength() {
        return tensor.size(axis);
    }

    /** @return the number of values in one channel's row, {@code L · numel / axisLength} */
    public long rowLength() {
        return blockLength * (tensor.length() / tensor.size(axis));
    }

    /**
     * The axis index of a channel at a position.
     *
     * @param channel  in {@code [0, C)}
     * @param position in {@code [0, L)}
     * @return {@code start + c·L + p} ({@link FlattenOrder#CHANNEL_BLOCKS}) or
     *         {@code start + p·C + c} ({@link FlattenOrder#INTERLEAVED})
     */
    public int axisIndex(int channel, int position) {
        return flattenOrder == FlattenOrder.CHANNEL_BLOCKS
                ? start + channel * blockLength + position
                : start + position * channels + channel;
    }

    @Override
    public String toString() {
        return "ChannelSlices{name=" + name + ", shape=" + Arrays.toString(tensor.shape()) + ", axis=" + axis
                + ", start=" + start + ", channels=" + channels + ", blockLength=" + blockLength
                + ", flattenOrder=" + flattenOrder + "}";
    }

    /** Builds {@link ChannelSlices}; every check happens in {@link #build()}. */
    public static final class Builder {
        private final INDArray tensor;
        private final int axis;
        private String name;
        private int start;
        private int channels = -1;
        private int blockLength = 1;
        private FlattenOrder flattenOrder = FlattenOrder.CHANNEL_BLOCKS;

        private Builder(INDArray tensor, int axis) {
            this.tensor = tensor;
            this.axis = axis;
        }

        /**
         * @param name a name for error messages and logs, e.g. {@code "conv2.W"}
         * @return this
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Restricts the channels to a block of the axis.
         *
         * @param start    the first axis index of the block, {@code >= 0}
         * @param channels the number of channels C in the block, {@code >= 1}; the block spans
         *                 {@code [start, start + C·L)}
         * @return this
         */
        public Builder block(int start, int channels) {
            this.start = start;
            this.channels = channels;
            return this;
        }

        /**
         * Sets the first axis index of the block; the number of channels then defaults to
         * {@code (axisLength - start) / L}.
         *
         * @param start the first axis index, {@code >= 0}
         * @return this
         */
        public Builder start(int start) {
            this.start = start;
            return this;
        }

        /**
         * @param blockLength the number of axis indices per channel L (e.g. {@code h·w} for a
         *                    flattened feature map), {@code >= 1}; default 1
         * @return this
         */
        public Builder blockLength(int blockLength) {
            this.blockLength = blockLength;
            return this;
        }

        /**
         * @param flattenOrder how channels and positions map to axis indices; default
         *                     {@link FlattenOrder#CHANNEL_BLOCKS}
         * @return this
         */
        public Builder flattenOrder(FlattenOrder flattenOrder) {
            this.flattenOrder = flattenOrder;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the slices
         * @throws IllegalArgumentException naming expected and actual values when the tensor is
         *                                  null or empty, the axis is out of range, the block does not
         *                                  fit the axis, or the axis length is not a multiple of L
         */
        public ChannelSlices build() {
            if (tensor == null) {
                throw new IllegalArgumentException(where() + "tensor must not be null.");
            }
            long[] shape = tensor.shape();
            if (name == null) {
                name = "tensor" + Arrays.toString(shape) + "@axis" + axis;
            }
            String w = name;
            Checks.require(tensor.rank() >= 1 && !tensor.isEmpty(), w,
                    "tensor must have at least one axis and one element, got shape %s.", Arrays.toString(shape));
            Checks.require(axis >= 0 && axis < shape.length, w,
                    "axis must be in [0, %d) for a tensor of shape %s, got %d. Fix: pass the index of the "
                            + "channel axis in canonical layout, e.g. 0 for out-channels and 1 for in-channels "
                            + "of W: (out, in, kH, kW).",
                    shape.length, Arrays.toString(shape), axis);
            Checks.requireNonNull(w, "flattenOrder", flattenOrder);
            long axisLength = shape[axis];
            Checks.require(axisLength <= Integer.MAX_VALUE, w, "axis %d has length %d, expected at most %d.",
                    axis, axisLength, Integer.MAX_VALUE);
            Checks.requireAtLeast(w, "blockLength (axis indices per channel)", blockLength, 1, "");
            Checks.require(start >= 0 && start < axisLength, w,
                    "block start must be in [0, %d) (axis %d of shape %s), got %d.",
                    axisLength, axis, Arrays.toString(shape), start);
            int c = channels;
            if (c < 0) {
                long rest = axisLength - start;
                Checks.require(rest % blockLength == 0, w,
                        "the axis from start %d has %d indices, expected a multiple of blockLength %d. "
                                + "Fix: pass block(start, channels) explicitly or correct blockLength.",
                        start, rest, blockLength);
                c = (int) (rest / blockLength);
            }
            Checks.requireAtLeast(w, "number of channels", c, 1, "");
            long end = start + (long) c * blockLength;
            Checks.require(end <= axisLength, w,
                    "block [%d, %d) (%d channels x blockLength %d) does not fit axis %d of length %d "
                            + "(shape %s). Fix: check the block start, channel count and blockLength.",
                    start, end, c, blockLength, axis, axisLength, Arrays.toString(shape));
            Checks.require(tensor.length() <= Integer.MAX_VALUE - 8, w,
                    "tensor has %d elements, expected at most %d (Java array limit).",
                    tensor.length(), Integer.MAX_VALUE - 8);
            long rowLength = blockLength * (tensor.length() / axisLength);
            Checks.require(rowLength * c <= Integer.MAX_VALUE - 8, w,
                    "the block holds %d values, expected at most %d (Java array limit).",
                    rowLength * c, Integer.MAX_VALUE - 8);
            return new ChannelSlices(this, c);
        }

        private String where() {
            return name == null ? "" : name + ": ";
        }
    }
}
