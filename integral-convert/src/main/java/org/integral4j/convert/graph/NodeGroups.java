package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The channel groups of one node: which group each input and the output belong to, whether they
 * are continuous, and the node's own parameter axes that carry a group. Immutable.
 *
 * <p>For a layer: {@code inputGroups()} has one entry (the group before the input
 * preprocessor; a flatten keeps the group), {@code outputGroup()} is the layer's new group for a
 * conv/dense layer or the input group for a pass-through layer. For a graph vertex there is one
 * input group per vertex input.
 */
public final class NodeGroups {

    private final String node;
    private final List<String> inputGroups;
    private final List<Boolean> inputContinuous;
    private final String outputGroup;
    private final boolean outputContinuous;
    private final List<GroupMember> members;
    private final List<Boolean> memberContinuous;
    private final String unsupportedReason;

    NodeGroups(String node, List<String> inputGroups, List<Boolean> inputContinuous, String outputGroup,
               boolean outputContinuous, List<GroupMember> members, List<Boolean> memberContinuous,
               String unsupportedReason) {
        this.node = node;
        this.inputGroups = List.copyOf(inputGroups);
        this.inputContinuous = List.copyOf(inputContinuous);
        this.outputGroup = outputGroup;
        this.outputContinuous = outputContinuous;
        this.members = List.copyOf(members);
        this.memberContinuous = List.copyOf(memberContinuous);
        this.unsupportedReason = unsupportedReason;
    }

    /** @return the node name */
    public String node() {
        return node;
    }

    /** @return the group of each input, in input order (empty for a network input) */
    public List<String> inputGroups() {
        return inputGroups;
    }

    /**
     * @param input the input position
     * @return whether that input's group is continuous
     */
    public boolean isInputContinuous(int input) {
        return inputContinuous.get(input);
    }

    /** @return the group of the node's output channels */
    public String outputGroup() {
        return outputGroup;
    }

    /** @return whether the output group is continuous */
    public boolean isOutputContinuous() {
        return outputContinuous;
    }

    /**
     * The node's parameter axes that carry a group, in the order the analysis visits them
     * (input axis, output axis, bias, ...). An axis that reads a concatenation is listed once,
     * as a member of the composite group.
     *
     * @return the members
     */
    public List<GroupMember> members() {
        return members;
    }

    /** @return the members whose group is continuous, i.e. the axes to resample */
    public List<GroupMember> continuousMembers() {
        List<GroupMember> out = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (memberContinuous.get(i)) {
                out.add(members.get(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @return why the node is not supported, when the analysis kept it discrete; empty for a
     *         supported node
     */
    public Optional<String> unsupportedReason() {
        return Optional.ofNullable(unsupportedReason);
    }

    @Override
    public String toString() {
        return "NodeGroups[" + node + ": in " + inputGroups + ", out " + outputGroup
                + (outputContinuous ? " (continuous)" : " (discrete)") + ", members " + members
                + (unsupportedReason == null ? "" : ", unsupported: " + unsupportedReason) + "]";
    }
}
