package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.integral4j.util.Checks;

/**
 * The result of {@link ChannelGroupAnalyzer#analyze}: the channel groups of a network in network
 * order, what each node reads and emits, and which nodes were unsupported. Immutable.
 *
 * <p>Groups are ordered by the first appearance of their producer in topological order (the
 * network input's group first). The constructor checks that every member of a group agrees on
 * the channel count.
 */
public final class ChannelGroupAnalysis {

    private final List<ChannelGroupSpec> groups;
    private final Map<String, ChannelGroupSpec> byName;
    private final Map<String, NodeGroups> nodes;
    private final Map<String, String> unsupported;
    private final AnalysisOptions options;

    ChannelGroupAnalysis(List<ChannelGroupSpec> groups, Map<String, NodeGroups> nodes, Map<String, String> unsupported,
                         AnalysisOptions options) {
        this.groups = List.copyOf(groups);
        Map<String, ChannelGroupSpec> names = new LinkedHashMap<>();
        for (ChannelGroupSpec g : groups) {
            names.put(g.name(), g);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        this.unsupported = Collections.unmodifiableMap(new LinkedHashMap<>(unsupported));
        this.options = options;
        validate();
    }

    /**
     * Checks that every member of every group carries the group's channel count:
     * {@code axisLength = axisChannels · blockLength}, {@code channels = size} and, for a composite,
     * {@code size = Σ part sizes}.
     *
     * @throws IllegalArgumentException naming the group and both disagreeing members
     */
    private void validate() {
        for (ChannelGroupSpec g : groups) {
            GroupMember first = null;
            for (GroupMember m : g.members()) {
                Checks.require(m.axisLength() == (long) m.axisChannels() * m.blockLength(), "group '" + g.name() + "'",
                        "%s has length %d, expected %d channels x %d per channel.", m.describe(), m.axisLength(),
                        m.axisChannels(), m.blockLength());
                if (first != null) {
                    Checks.require(m.channels() == first.channels(), "group '" + g.name() + "'",
                            "%s carries %d channels but %s carries %d.", m.describe(), m.channels(), first.describe(),
                            first.channels());
                }
                first = first == null ? m : first;
            }
            if (first != null) {
                Checks.require(first.channels() == g.size(), "group '" + g.name() + "'",
                        "its members carry %d channels, but its size is %d.", first.channels(), g.size());
            }
            if (g.isComposite() && g.size() >= 0) {
                int sum = 0;
                for (String p : g.parts()) {
                    sum += byName.get(p).size();
                }
                Checks.require(sum == g.size(), "group '" + g.name() + "'", "its parts %s have %d channels in all,"
                        + " but its size is %d.", g.parts(), sum, g.size());
            }
        }
    }

    /** @return every group in network order */
    public List<ChannelGroupSpec> groups() {
        return groups;
    }

    /**
     * @param name a group name, e.g. {@code "conv1.out"}
     * @return the group
     * @throws IllegalArgumentException if there is no such group (the message lists them)
     */
    public ChannelGroupSpec group(String name) {
        ChannelGroupSpec g = byName.get(name);
        Checks.require(g != null, "ChannelGroupAnalysis", "no group named '%s'; the groups are %s.", name,
                byName.keySet());
        return g;
    }

    /**
     * @param name a group name
     * @return whether there is such a group
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** @return the continuous groups, in network order */
    public List<ChannelGroupSpec> continuousGroups() {
        List<ChannelGroupSpec> out = new ArrayList<>();
        for (ChannelGroupSpec g : groups) {
            if (g.isContinuous()) {
                out.add(g);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** @return the discrete groups, in network order */
    public List<ChannelGroupSpec> discreteGroups() {
        List<ChannelGroupSpec> out = new ArrayList<>();
        for (ChannelGroupSpec g : groups) {
            if (!g.isContinuous()) {
                out.add(g);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** @return group name to channel count, in network order ({@code -1}: unknown) */
    public Map<String, Integer> groupSizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ChannelGroupSpec g : groups) {
            out.put(g.name(), g.size());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * @param node a node name of the analysed view
     * @return the node's groups and group members
     * @throws IllegalArgumentException if there is no such node
     */
    public NodeGroups node(String node) {
        NodeGroups n = nodes.get(node);
        Checks.require(n != null, "ChannelGroupAnalysis", "no node named '%s'; the nodes are %s.", node,
                nodes.keySet());
        return n;
    }

    /** @return every node's groups, in topological order */
    public List<NodeGroups> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * @return the nodes the analysis does not support, with the reason, which were kept discrete
     *         ({@link AnalysisOptions#keepUnsupportedDiscrete()}); empty when all were supported
     */
    public Map<String, String> unsupportedNodes() {
        return unsupported;
    }

    /** @return the options of the analysis */
    public AnalysisOptions options() {
        return options;
    }

    /**
     * A readable table of the groups: one line per group (index, name, size, state, producers,
     * parts or why it is discrete), then one indented line per member.
     *
     * @return the table
     */
    public String describe() {
        int nameWidth = "group".length();
        for (ChannelGroupSpec g : groups) {
            nameWidth = Math.max(nameWidth, g.name().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Channel groups: %d (%d continuous, %d discrete)", groups.size(),
                continuousGroups().size(), discreteGroups().size()));
        if (!unsupported.isEmpty()) {
            sb.append("; unsupported nodes kept discrete: ").append(unsupported.keySet());
        }
        sb.append('\n');
        String row = "%3s  %-" + nameWidth + "s  %6s  %-10s  %s%n";
        sb.append(String.format(Locale.ROOT, row, "#", "group", "size", "state", "producers / parts / causes"));
        for (ChannelGroupSpec g : groups) {
            StringBuilder info = new StringBuilder("from ").append(String.join(", ", g.producers()));
            if (g.isComposite()) {
                info.append("; parts ").append(g.parts());
            }
            if (!g.isContinuous()) {
                info.append("; ").append(g.discreteCauses());
            }
            sb.append(String.format(Locale.ROOT, row, g.index(), g.name(), g.size() < 0 ? "?" : g.size(),
                    g.isContinuous() ? "continuous" : "discrete", info));
            for (GroupMember m : g.members()) {
                sb.append("       ").append(m).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
