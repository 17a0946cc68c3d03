package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.integral4j.convert.graph.AnalysisOptions.Side;
import org.integral4j.convert.graph.DiscreteCause.Kind;
import org.integral4j.convert.graph.FlowTraversal.Flow;
import org.integral4j.convert.graph.FlowTraversal.RawMember;
import org.integral4j.convert.graph.FlowTraversal.SizeCheck;
import org.integral4j.convert.graph.FlowTraversal.UnsupportedNode;
import org.integral4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of the channel-group analysis: turns what {@link FlowTraversal} recorded into
 * groups. It resolves the handles into groups (union-find roots), applies the options (forced
 * discrete or continuous axes), decides which unsupported nodes matter (those touching a group that
 * would otherwise be resampled) and rejects them or keeps their groups discrete, determines and
 * checks every group's channel count, propagates discreteness through concatenations, and builds
 * the immutable {@link ChannelGroupAnalysis}.
 */
final class GroupAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(GroupAssembler.class);

    private final ModelView view;
    private final AnalysisOptions options;
    private final FlowTraversal t;
    private final GroupHandles handles;
    private final int[] root;
    /** Root to the handles of its class, in handle order. */
    private final TreeMap<Integer, List<Integer>> classes = new TreeMap<>();
    /** Root of a concatenation to the roots of its parts. */
    private final Map<Integer, List<Integer>> partRoots = new HashMap<>();

    /** A group a forceContinuous option names. */
    private record ContinuousOverride(int ref, String node, Side side) {
    }

    GroupAssembler(ModelView view, AnalysisOptions options, FlowTraversal traversal) {
        this.view = view;
        this.options = options;
        this.t = traversal;
        this.handles = traversal.handles;
        this.root = new int[handles.size()];
        for (int i = 0; i < root.length; i++) {
            root[i] = handles.find(i);
            classes.computeIfAbsent(root[i], k -> new ArrayList<>()).add(i);
        }
        for (int r : classes.keySet()) {
            List<Integer> parts = handles.get(r).parts();
            if (!parts.isEmpty()) {
                partRoots.put(r, parts.stream().map(p -> root[p]).toList());
            }
        }
    }

    ChannelGroupAnalysis assemble() {
        for (String out : view.outputNames()) {
            t.addCause(t.outFlows.get(out).ref(), new DiscreteCause(Kind.NETWORK_OUTPUT, out, ""));
        }
        List<ContinuousOverride> continuous = applyOverrides();
        Map<String, String> kept = resolveUnsupported(continuous);
        Map<Integer, Integer> sizes = sizes();
        checkSizes(sizes);
        Map<Integer, LinkedHashSet<DiscreteCause>> discrete = discreteness(continuous);
        List<ChannelGroupSpec> groups = groups(sizes, discrete);
        Map<String, NodeGroups> nodes = nodes(groups, discrete, kept, sizes);
        ChannelGroupAnalysis result = new ChannelGroupAnalysis(groups, nodes, kept, options);
        if (LOG.isDebugEnabled()) {
            nodes.values().forEach(ng -> LOG.debug("{}", ng));
        }
        LOG.info("Channel groups: {} ({} continuous, {} discrete){}", groups.size(), result.continuousGroups().size(),
                groups.size() - result.continuousGroups().size(),
                kept.isEmpty() ? "" : "; unsupported nodes kept discrete: " + kept.keySet());
        return result;
    }

    // ------------------------------------------------------------------ options

    /** Adds the forced-discrete causes; returns the forced-continuous axes. */
    private List<ContinuousOverride> applyOverrides() {
        for (Map.Entry<String, Set<Side>> e : options.forcedDiscrete().entrySet()) {
            for (Side side : e.getValue()) {
                for (int ref : refsOf(e.getKey(), side)) {
                    t.addCause(ref, new DiscreteCause(Kind.FORCED_BY_USER, e.getKey(),
                            side.name().toLowerCase(Locale.ROOT)));
                }
            }
        }
        List<ContinuousOverride> continuous = new ArrayList<>();
        for (Map.Entry<String, Set<Side>> e : options.forcedContinuous().entrySet()) {
            for (Side side : e.getValue()) {
                for (int ref : refsOf(e.getKey(), side)) {
                    continuous.add(new ContinuousOverride(ref, e.getKey(), side));
                }
            }
        }
        return continuous;
    }

    private List<Integer> refsOf(String node, Side side) {
        if (side == Side.OUTPUT) {
            return List.of(t.outFlows.get(node).ref());
        }
        List<Flow> ins = t.inFlows.get(node);
        Checks.require(!ins.isEmpty(), "AnalysisOptions",
                "node '%s' is a network input and has no input axis. Fix: name its OUTPUT side.", node);
        return ins.stream().map(Flow::ref).toList();
    }

    // ------------------------------------------------------------------ unsupported nodes

    /**
     * An unsupported node matters only where a group it reads or emits would otherwise be
     * resampled; nodes whose groups all stay discrete for other reasons (network input or output,
     * forced discrete, channels kept) are accepted as they are. The others are an error listing
     * each of them, or, with {@link AnalysisOptions#keepUnsupportedDiscrete()}, keep every group
     * they touch discrete.
     *
     * @return the nodes kept discrete, with their reasons, in network order
     */
    private Map<String, String> resolveUnsupported(List<ContinuousOverride> continuous) {
        if (t.unsupported.isEmpty()) {
            return Map.of();
        }
        Set<Integer> discrete = discreteness(continuous).keySet();
        List<UnsupportedNode> offending = new ArrayList<>();
        for (UnsupportedNode u : t.unsupported) {
            if (!u.touched().stream().allMatch(ref -> discrete.contains(root[ref]))) {
                offending.add(u);
            }
        }
        if (!offending.isEmpty() && !options.keepUnsupportedDiscrete()) {
            throw new IllegalArgumentException(UnsupportedMessage.of(offending, options.layerRegistry()));
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (UnsupportedNode u : offending) {
            DiscreteCause cause = new DiscreteCause(Kind.UNSUPPORTED_NODE, u.node().name(), u.reason());
            u.touched().forEach(ref -> t.addCause(ref, cause));
            kept.put(u.node().name(), u.reason());
            LOG.warn("Node '{}' ({}) is not supported ({}); its channel groups stay discrete.", u.node().name(),
                    u.node().typeName(), u.reason());
        }
        return kept;
    }

    // ------------------------------------------------------------------ discreteness

    /**
     * Which classes stay discrete and why: the recorded causes, minus the network-output causes the
     * options override, spread so that a concatenation and its parts are all discrete or all
     * continuous.
     *
     * @throws IllegalArgumentException when a group forced continuous must stay discrete
     */
    private Map<Integer, LinkedHashSet<DiscreteCause>> discreteness(List<ContinuousOverride> continuous) {
        Map<Integer, LinkedHashSet<DiscreteCause>> d = new HashMap<>();
        t.causes.forEach((ref, list) -> d.computeIfAbsent(root[ref], k -> new LinkedHashSet<>()).addAll(list));
        for (ContinuousOverride o : continuous) {
            for (int target : withParts(root[o.ref()])) {
                LinkedHashSet<DiscreteCause> set = d.get(target);
                if (set != null) {
                    set.removeIf(c -> c.kind() == Kind.NETWORK_OUTPUT);
                    requireContinuousPossible(o, target, set.isEmpty() ? null : set);
                    d.remove(target);
                }
            }
        }
        spreadThroughConcatenations(d);
        for (ContinuousOverride o : continuous) {
            requireContinuousPossible(o, root[o.ref()], d.get(root[o.ref()]));
        }
        return d;
    }

    private List<Integer> withParts(int r) {
        List<Integer> targets = new ArrayList<>(List.of(r));
        targets.addAll(partRoots.getOrDefault(r, List.of()));
        return targets;
    }

    private void requireContinuousPossible(ContinuousOverride o, int group, Set<DiscreteCause> causes) {
        Checks.require(causes == null, "AnalysisOptions", "the %s axis of '%s' is forced continuous, but its group"
                        + " '%s' must stay discrete: %s. Fix: remove forceContinuous(\"%s\", %s).", o.side(), o.node(),
                handles.get(group).groupName(), causes, o.node(), o.side());
    }

    /** A concatenation and its parts are either all continuous or all discrete. */
    private void spreadThroughConcatenations(Map<Integer, LinkedHashSet<DiscreteCause>> d) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<Integer, List<Integer>> e : partRoots.entrySet()) {
                List<Integer> linked = withParts(e.getKey());
                Integer culprit = linked.stream().filter(d::containsKey).findFirst().orElse(null);
                if (culprit == null) {
                    continue;
                }
                for (int x : linked) {
                    if (!d.containsKey(x)) {
                        d.computeIfAbsent(x, k -> new LinkedHashSet<>()).add(new DiscreteCause(
                                Kind.CONCATENATED_WITH_DISCRETE, handles.get(e.getKey()).node(),
                                "group '" + handles.get(culprit).groupName() + "'"));
                        changed = true;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ sizes

    /** Channel count of every class: from its direct members, else its size hints; composites sum their parts. */
    private Map<Integer, Integer> sizes() {
        Map<Integer, Integer> sizes = new HashMap<>();
        Map<Integer, RawMember> definer = new HashMap<>();
        for (RawMember m : t.members) {
            int r = root[m.ref()];
            if (partRoots.containsKey(r)) {
                continue;
            }
            Checks.require(m.axisLength() % m.blockLength() == 0, m.node(),
                    "%s has length %d, not a multiple of its %d indices per channel.", m.describe(), m.axisLength(),
                    m.blockLength());
            int ch = (int) (m.axisLength() / m.blockLength());
            Integer known = sizes.putIfAbsent(r, ch);
            if (known == null) {
                definer.put(r, m);
            } else if (known != ch) {
                RawMember d = definer.get(r);
                Checks.require(false, "group '" + handles.get(r).groupName() + "'",
                        "%s carries %d channels (axis length %d / %d per channel), but %s carries %d (axis length"
                                + " %d / %d per channel). Every axis of a channel group must have the same channel"
                                + " count; check the nIn/nOut of these layers.",
                        m.describe(), ch, m.axisLength(), m.blockLength(), d.describe(), known, d.axisLength(),
                        d.blockLength());
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : classes.entrySet()) {
            if (!partRoots.containsKey(e.getKey()) && !sizes.containsKey(e.getKey())) {
                sizes.put(e.getKey(), e.getValue().stream().map(h -> handles.get(h).sizeHint())
                        .filter(s -> s.isPresent()).mapToInt(s -> s.getAsInt()).findFirst().orElse(-1));
            }
        }
        composeTotals(sizes);
        inferUnknownParts(sizes);
        return sizes;
    }

    private void composeTotals(Map<Integer, Integer> sizes) {
        for (Map.Entry<Integer, List<Integer>> e : partRoots.entrySet()) {
            int total = 0;
            for (int p : e.getValue()) {
                int s = sizes.get(p);
                total = total < 0 || s < 0 ? -1 : total + s;
            }
            sizes.put(e.getKey(), total);
        }
    }

    /**
     * A part without parameters of its own (e.g. a network input or an unsupported node's output,
     * analysed without input types) gets its size from an axis that reads the concatenation, when it
     * is the only unknown part.
     */
    private void inferUnknownParts(Map<Integer, Integer> sizes) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (RawMember m : t.members) {
                List<Integer> pr = partRoots.get(root[m.ref()]);
                if (pr == null || sizes.get(root[m.ref()]) >= 0 || m.axisLength() % m.blockLength() != 0) {
                    continue;
                }
                Set<Integer> unknown = new LinkedHashSet<>();
                long known = 0;
                int copies = 0;
                for (int p : pr) {
                    if (sizes.get(p) < 0) {
                        unknown.add(p);
                        copies++;
                    } else {
                        known += sizes.get(p);
                    }
                }
                long rest = m.axisLength() / m.blockLength() - known;
                if (unknown.size() == 1 && rest > 0 && rest % copies == 0) {
                    sizes.put(unknown.iterator().next(), (int) (rest / copies));
                    composeTotals(sizes);
                    progress = true;
                }
            }
        }
    }

    private void checkSizes(Map<Integer, Integer> sizes) {
        for (RawMember m : t.members) {
            int size = sizes.get(root[m.ref()]);
            String group = handles.get(root[m.ref()]).groupName();
            Checks.require(size >= 0, "group '" + group + "'",
                    "cannot determine the channel count of every part of this concatenation, which %s reads."
                            + " Fix: give the network's input types, IntegralWrapper.builder().inputTypes(...)"
                            + " (for the analysis alone: ModelView.of(net, inputTypes)).", m.describe());
            Checks.require((long) size * m.blockLength() == m.axisLength(), "group '" + group + "'",
                    "%s has length %d, expected %d channels x %d per channel = %d. Check the nIn of %s.",
                    m.describe(), m.axisLength(), size, m.blockLength(), (long) size * m.blockLength(), m.node());
        }
        for (SizeCheck c : t.checks) {
            int size = sizes.get(root[c.ref()]);
            if (size >= 0) {
                Checks.require((long) size * c.blockLength() == c.expectedChannels(), c.what(),
                        "expected %d channels, but its input carries group '%s' of %d channels x %d per channel."
                                + " Check the preprocessor's configuration.",
                        c.expectedChannels(), handles.get(root[c.ref()]).groupName(), size, c.blockLength());
            }
        }
    }

    // ------------------------------------------------------------------ results

    /** Every class as a group spec with its members (an axis reading a concatenation is also a member of each part). */
    private List<ChannelGroupSpec> groups(Map<Integer, Integer> sizes, Map<Integer, LinkedHashSet<DiscreteCause>> d) {
        Map<Integer, List<GroupMember>> groupMembers = new HashMap<>();
        for (RawMember m : t.members) {
            int r = root[m.ref()];
            String name = handles.get(r).groupName();
            int size = sizes.get(r);
            groupMembers.computeIfAbsent(r, k -> new ArrayList<>()).add(new GroupMember(m.node(), m.key(),
                    m.networkKey(), m.axis(), m.role(), name, 0, size, size, m.blockLength(), m.order(), m.axisLength(),
                    null));
            int offset = 0;
            for (int p : partRoots.getOrDefault(r, List.of())) {
                int ps = sizes.get(p);
                groupMembers.computeIfAbsent(p, k -> new ArrayList<>()).add(new GroupMember(m.node(), m.key(),
                        m.networkKey(), m.axis(), m.role(), handles.get(p).groupName(), offset, ps, size,
                        m.blockLength(), m.order(), m.axisLength(), name));
                offset += ps;
            }
        }
        List<ChannelGroupSpec> groups = new ArrayList<>();
        int index = 0;
        for (Map.Entry<Integer, List<Integer>> e : classes.entrySet()) {
            int r = e.getKey();
            List<String> producers = e.getValue().stream().map(h -> handles.get(h).node()).toList();
            List<String> parts = partRoots.getOrDefault(r, List.of()).stream()
                    .map(p -> handles.get(p).groupName()).toList();
            groups.add(new ChannelGroupSpec(handles.get(r).groupName(), index++, sizes.get(r), partRoots.containsKey(r),
                    parts, producers, groupMembers.getOrDefault(r, List.of()),
                    new ArrayList<>(d.getOrDefault(r, new LinkedHashSet<>()))));
        }
        return groups;
    }

    /** What each node reads and emits, and its own members (an axis reading a concatenation listed once). */
    private Map<String, NodeGroups> nodes(List<ChannelGroupSpec> groups, Map<Integer, LinkedHashSet<DiscreteCause>> d,
                                          Map<String, String> kept, Map<Integer, Integer> sizes) {
        Map<String, Boolean> continuousByName = new HashMap<>();
        groups.forEach(g -> continuousByName.put(g.name(), g.isContinuous()));
        Map<String, List<GroupMember>> own = new LinkedHashMap<>();
        for (RawMember m : t.members) {
            int r = root[m.ref()];
            own.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(new GroupMember(m.node(), m.key(),
                    m.networkKey(), m.axis(), m.role(), handles.get(r).groupName(), 0, sizes.get(r), sizes.get(r),
                    m.blockLength(), m.order(), m.axisLength(), null));
        }
        Map<String, NodeGroups> nodes = new LinkedHashMap<>();
        for (ModelNode node : view.nodes()) {
            List<String> inGroups = new ArrayList<>();
            List<Boolean> inContinuous = new ArrayList<>();
            for (Flow f : t.inFlows.get(node.name())) {
                inGroups.add(handles.get(root[f.ref()]).groupName());
                inContinuous.add(!d.containsKey(root[f.ref()]));
            }
            int outRoot = root[t.outFlows.get(node.name()).ref()];
            List<GroupMember> members = own.getOrDefault(node.name(), List.of());
            List<Boolean> memberContinuous = members.stream().map(m -> continuousByName.get(m.group())).toList();
            nodes.put(node.name(), new NodeGroups(node.name(), inGroups, inContinuous,
                    handles.get(outRoot).groupName(), !d.containsKey(outRoot), members, memberContinuous,
                    kept.get(node.name())));
        }
        return nodes;
    }
}
