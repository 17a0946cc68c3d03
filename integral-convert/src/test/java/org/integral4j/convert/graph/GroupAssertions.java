package org.integral4j.convert.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.junit.jupiter.api.function.Executable;

/** Compact assertions on analysis results. */
final class GroupAssertions {

    private GroupAssertions() {
    }

    /**
     * A member's signature: {@code node.key[axis] role}, plus {@code @offset/axisChannels} for a
     * part of a concatenation and {@code xL blocks|interleaved} for a block length other than 1.
     */
    static String sig(GroupMember m) {
        StringBuilder sb = new StringBuilder(m.node()).append('.').append(m.paramKey()).append('[').append(m.axis())
                .append("] ").append(m.role().name().toLowerCase(java.util.Locale.ROOT));
        if (!m.coversWholeAxis()) {
            sb.append(" @").append(m.channelOffset()).append('/').append(m.axisChannels());
        }
        if (m.blockLength() != 1) {
            sb.append(" x").append(m.blockLength())
                    .append(m.flattenOrder() == FlattenOrder.CHANNEL_BLOCKS ? " blocks" : " interleaved");
        }
        return sb.toString();
    }

    static List<String> sigs(ChannelGroupSpec g) {
        return g.members().stream().map(GroupAssertions::sig).toList();
    }

    static void assertGroup(ChannelGroupAnalysis a, String name, int size, boolean continuous, String... members) {
        ChannelGroupSpec g = a.group(name);
        assertEquals(size, g.size(), name + " size");
        assertEquals(continuous, g.isContinuous(), name + " continuity, causes " + g.discreteCauses());
        assertEquals(List.of(members), sigs(g), name + " members");
    }

    static List<String> groupNames(ChannelGroupAnalysis a) {
        return a.groups().stream().map(ChannelGroupSpec::name).toList();
    }

    static GroupMember member(ChannelGroupSpec g, String node, String key, int axis) {
        for (GroupMember m : g.members()) {
            if (m.node().equals(node) && m.paramKey().equals(key) && m.axis() == axis) {
                return m;
            }
        }
        return fail("group " + g.name() + " has no member " + node + "." + key + "[" + axis + "]: " + sigs(g));
    }

    static void assertCause(ChannelGroupSpec g, DiscreteCause.Kind kind, String node) {
        assertTrue(g.discreteCauses().stream().anyMatch(c -> c.kind() == kind && c.node().equals(node)),
                g.name() + " should be discrete because of " + kind + " at " + node + ", causes " + g.discreteCauses());
    }

    static IllegalArgumentException assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks \"" + f + "\": " + e.getMessage());
        }
        return e;
    }
}
