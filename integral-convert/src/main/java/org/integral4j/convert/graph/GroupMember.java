package org.integral4j.convert.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter axis that carries a channel group: which parameter of which node, which axis in
 * DL4J's parameter layout, and which indices of that axis belong to which of the group's
 * channels.
 *
 * <p><b>Index map.</b> The axis has {@link #axisLength()} {@code = A·L} indices, where
 * {@code A = }{@link #axisChannels()} is the number of channels on the axis and
 * {@code L = }{@link #blockLength()} the indices per channel. The group owns the channels
 * {@code [o, o + C)} of the axis ({@code o = }{@link #channelOffset()},
 * {@code C = }{@link #channels()}; {@code o = 0, C = A} unless the axis reads a concatenation).
 * Channel {@code c} of the group at position {@code p} in {@code [0, L)} is axis index
 * <ul>
 *   <li>{@link FlattenOrder#CHANNEL_BLOCKS}: {@code (o + c)·L + p} (NCHW flatten: {@code L = h·w};
 *       depthwise multiplier {@code m}: {@code L = m});</li>
 *   <li>{@link FlattenOrder#INTERLEAVED}: {@code p·A + o + c} (channels-last NHWC flatten).</li>
 * </ul>
 *
 * <p><b>Axes</b> are in the layout the layer reports, as its kind's
 * {@link org.integral4j.convert.kinds.ChannelRule} names them: e.g. convolution
 * {@code W: [out, in, kH, kW]} output axis 0 ({@link Role#PRODUCER}), input axis 1
 * ({@link Role#CONSUMER}); dense {@code W: [in, out]} input axis 0, output axis 1; biases axis 0;
 * batch-norm vectors axis 0 ({@link Role#PER_CHANNEL}); depthwise {@code W: [kH, kW, in, m]} axis
 * 2 and {@code b: [in·m]} with {@code L = m}.
 *
 * <p>Immutable.
 */
public final class GroupMember {

    /** How the axis relates to the group. */
    public enum Role {
        /** An output axis: the layer emits the group's channels (conv/dense out, their bias). */
        PRODUCER,
        /** An input axis: the layer reads the group's channels (conv/dense in). */
        CONSUMER,
        /** Per-channel parameters of a layer whose input and output are the same group (batch norm, depthwise). */
        PER_CHANNEL
    }

    private final String node;
    private final String paramKey;
    private final String networkParamKey;
    private final int axis;
    private final Role role;
    private final String group;
    private final int channelOffset;
    private final int channels;
    private final int axisChannels;
    private final int blockLength;
    private final FlattenOrder flattenOrder;
    private final long axisLength;
    private final String viaComposite;

    GroupMember(String node, String paramKey, String networkParamKey, int axis, Role role, String group,
                int channelOffset, int channels, int axisChannels, int blockLength, FlattenOrder flattenOrder,
                long axisLength, String viaComposite) {
        this.node = node;
        this.paramKey = paramKey;
        this.networkParamKey = networkParamKey;
        this.axis = axis;
        this.role = role;
        this.group = group;
        this.channelOffset = channelOffset;
        this.channels = channels;
        this.axisChannels = axisChannels;
        this.blockLength = blockLength;
        this.flattenOrder = flattenOrder;
        this.axisLength = axisLength;
        this.viaComposite = viaComposite;
    }

    /** @return the node that owns the parameter */
    public String node() {
        return node;
    }

    /** @return the layer-local parameter key, e.g. {@code "W"} */
    public String paramKey() {
        return paramKey;
    }

    /** @return the network-level key, e.g. {@code "0_W"} (multi-layer network) or {@code "conv1_W"} (graph) */
    public String networkParamKey() {
        return networkParamKey;
    }

    /** @return the axis in DL4J's parameter layout */
    public int axis() {
        return axis;
    }

    /** @return producer, consumer or per-channel */
    public Role role() {
        return role;
    }

    /** @return the name of the group this member belongs to */
    public String group() {
        return group;
    }

    /** @return the index of the group's first channel among the axis' channels, {@code o} */
    public int channelOffset() {
        return channelOffset;
    }

    /** @return the group's channel count {@code C} ({@code -1} if it could not be determined) */
    public int channels() {
        return channels;
    }

    /** @return the number of channels on the axis, {@code A} ({@code > C} when the axis reads a concatenation) */
    public int axisChannels() {
        return axisChannels;
    }

    /** @return the axis indices per channel {@code L} */
    public int blockLength() {
        return blockLength;
    }

    /** @return how channels and positions map to axis indices */
    public FlattenOrder flattenOrder() {
        return flattenOrder;
    }

    /** @return the length of the axis, {@code A·L} */
    public long axisLength() {
        return axisLength;
    }

    /**
     * The first axis index that belongs to the group: {@code o·L} for channel blocks, {@code o}
     * for interleaved channels.
     *
     * @return the block start offset along the axis
     */
    public long start() {
        return flattenOrder == FlattenOrder.CHANNEL_BLOCKS ? (long) channelOffset * blockLength : channelOffset;
    }

    /**
     * The composite group through which this member reaches its (part) group: the member is an
     * axis that reads a concatenation, restricted to this part's channels.
     *
     * @return the composite group's name, or null for a direct member
     */
    public String viaComposite() {
        return viaComposite;
    }

    /** @return whether this member covers the whole axis (no concatenation offset) */
    public boolean coversWholeAxis() {
        return channelOffset == 0 && channels == axisChannels;
    }

    /**
     * The axis index of a channel at a position (see the class documentation).
     *
     * @param channel  in {@code [0, C)}
     * @param position in {@code [0, L)}
     * @return the axis index
     * @throws IllegalArgumentException if an argument is out of range
     */
    public long axisIndex(int channel, int position) {
        Checks.requireIndex(describe(), "channel", channel, channels);
        Checks.requireIndex(describe(), "position", position, blockLength);
        return flattenOrder == FlattenOrder.CHANNEL_BLOCKS
                ? (long) (channelOffset + channel) * blockLength + position
                : (long) position * axisChannels + channelOffset + channel;
    }

    /**
     * Describes this member's channels in a tensor of this parameter's DL4J layout, for
     * {@link org.integral4j.convert.permutation.DistanceMatrix} and
     * {@link org.integral4j.convert.permutation.ChannelPermutation}.
     *
     * @param param the parameter array, e.g. {@link ModelView#param(String, String)} (referenced,
     *              not copied)
     * @return the slices
     * @throws IllegalArgumentException if the array's axis length does not match this member
     * @throws IllegalStateException    for an interleaved member that is only part of its axis
     *                                  (a concatenation flattened channels-last), which
     *                                  {@link ChannelSlices} cannot express
     */
    public ChannelSlices toSlices(INDArray param) {
        Checks.requireNonNull(describe(), "param", param);
        Checks.require(axis < param.rank() && param.size(axis) == axisLength, describe(),
                "the array of shape %s does not have length %d on axis %d. Fix: pass this member's parameter %s.",
                Arrays.toString(param.shape()), axisLength, axis, networkParamKey);
        if (flattenOrder == FlattenOrder.INTERLEAVED && !coversWholeAxis()) {
            throw new IllegalStateException(describe() + ": channels interleaved with stride " + axisChannels
                    + " but only " + channels + " of them belong to the group; ChannelSlices cannot express this.");
        }
        return ChannelSlices.builder(param, axis).name(node + "." + paramKey).block((int) start(), channels)
                .blockLength(blockLength).flattenOrder(flattenOrder).build();
    }

    /** @return a short description, e.g. {@code "conv2.W axis 1 (consumer)"} */
    public String describe() {
        return node + "." + paramKey + " axis " + axis + " (" + role.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(describe());
        if (!coversWholeAxis()) {
            sb.append(", channels [").append(channelOffset).append(", ").append(channelOffset + channels)
                    .append(") of ").append(axisChannels);
        }
        if (blockLength != 1) {
            sb.append(", ").append(blockLength).append(" per channel ")
                    .append(flattenOrder == FlattenOrder.CHANNEL_BLOCKS ? "(blocks)" : "(interleaved)");
        }
        if (viaComposite != null) {
            sb.append(", via ").append(viaComposite);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GroupMember)) {
            return false;
        }
        GroupMember m = (GroupMember) o;
        return axis == m.axis && channelOffset == m.channelOffset && channels == m.channels
                && axisChannels == m.axisChannels && blockLength == m.blockLength && axisLength == m.axisLength
                && node.equals(m.node) && paramKey.equals(m.paramKey) && role == m.role && group.equals(m.group)
                && flattenOrder == m.flattenOrder && Objects.equals(viaComposite, m.viaComposite);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, paramKey, axis, role, group, channelOffset, axisChannels, blockLength, viaComposite);
    }
}
