package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One channel group found by {@link ChannelGroupAnalyzer}: channels that must be resampled (and
 * permuted) together, with every parameter axis that carries them. It describes the group; the
 * runtime grid state of an integral model is {@code org.integral4j.layers.grid.ChannelGroup},
 * made from this description.
 *
 * <p>A <em>simple</em> group is the output axis of one or more producers (several producers
 * when residual additions tie branches together) plus every axis that reads those channels. A
 * <em>composite</em> group is a concatenation: its {@link #parts()} are simple groups in
 * concatenation order, its size is the sum of theirs, and its members are the axes that read the
 * concatenation as a whole. Each such axis also appears in every part's member list restricted to
 * that part's channels ({@link GroupMember#viaComposite()} names the composite).
 *
 * <p>Immutable.
 */
public final class ChannelGroupSpec {

    private final String name;
    private final int index;
    private final int size;
    private final List<String> parts;
    private final List<String> producers;
    private final List<GroupMember> members;
    private final List<DiscreteCause> causes;
    private final boolean composite;

    ChannelGroupSpec(String name, int index, int size, boolean composite, List<String> parts, List<String> producers,
                     List<GroupMember> members, List<DiscreteCause> causes) {
        this.name = name;
        this.index = index;
        this.size = size;
        this.composite = composite;
        this.parts = List.copyOf(parts);
        this.producers = List.copyOf(producers);
        this.members = List.copyOf(members);
        this.causes = List.copyOf(causes);
    }

    /**
     * The group's name: {@code "<node>.out"} for the earliest node (in topological order) that
     * emits the channels: a layer, a network input, a concatenation, or an unsupported node.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /** @return the position of the group in network order (0 first) */
    public int index() {
        return index;
    }

    /**
     * The number of channels: equal for every member (checked). A composite group's size is the
     * sum of its parts' sizes.
     *
     * @return the channel count, or {@code -1} when no parameter carries the group and the view has
     *         no input types (e.g. the output of an unsupported node that nothing reads)
     */
    public int size() {
        return size;
    }

    /** @return whether the group is a concatenation of {@link #parts()} */
    public boolean isComposite() {
        return composite;
    }

    /** @return the names of the parts in concatenation order (simple groups); empty for a simple group */
    public List<String> parts() {
        return parts;
    }

    /**
     * The nodes that emit the group's channels, in topological order: layers (several for tied
     * residual branches), the network input, the concatenation, or the unsupported node.
     *
     * @return the node names
     */
    public List<String> producers() {
        return producers;
    }

    /** @return every parameter axis that carries the group, in topological order of their nodes */
    public List<GroupMember> members() {
        return members;
    }

    /**
     * @param role a role
     * @return the members with that role
     */
    public List<GroupMember> members(GroupMember.Role role) {
        List<GroupMember> out = new ArrayList<>();
        for (GroupMember m : members) {
            if (m.role() == role) {
                out.add(m);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** @return whether the group is resampled (no {@link #discreteCauses()}) */
    public boolean isContinuous() {
        return causes.isEmpty();
    }

    /** @return why the group is discrete; empty for a continuous group */
    public List<DiscreteCause> discreteCauses() {
        return causes;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ChannelGroupSpec[").append(name).append(", size ").append(size);
        if (composite) {
            sb.append(", parts ").append(parts);
        }
        sb.append(isContinuous() ? ", continuous" : ", discrete " + causes);
        sb.append(", ").append(members.size()).append(" members]");
        return sb.toString();
    }
}
