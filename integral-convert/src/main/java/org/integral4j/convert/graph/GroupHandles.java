package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The channel groups while the analysis runs: one handle per place where channels appear (a
 * network input, a layer's output, an unsupported node's output, a concatenation), united by
 * union-find when residual additions tie them. A concatenation's handle lists its parts. The
 * smaller handle (earlier in topological order) stays the root, so a group is named after its
 * earliest producer.
 */
final class GroupHandles {

    /** Where a handle's channels come from. */
    enum Origin {
        /** A layer's output. */
        LAYER,
        /** A network input. */
        INPUT,
        /** A node the analysis cannot see through (unsupported, or whose channels are kept). */
        OPAQUE,
        /** A concatenation of other handles. */
        CONCAT
    }

    /**
     * One handle.
     *
     * @param node     the node that emits the channels
     * @param origin   where they come from
     * @param sizeHint the channel count from the output type, or empty when unknown
     * @param parts    the handles of a concatenation's parts in order, empty otherwise
     */
    record Handle(String node, Origin origin, OptionalInt sizeHint, List<Integer> parts) {
        /** @return the name of the group this handle roots: {@code "<node>.out"} */
        String groupName() {
            return node + ".out";
        }

        /** @return whether the handle is a concatenation */
        boolean isComposite() {
            return !parts.isEmpty();
        }
    }

    private final List<Handle> handles = new ArrayList<>();
    private final List<Integer> parent = new ArrayList<>();

    /** @return a new handle's reference */
    int add(String node, Origin origin, OptionalInt sizeHint, List<Integer> parts) {
        handles.add(new Handle(node, origin, sizeHint, List.copyOf(parts)));
        parent.add(handles.size() - 1);
        return handles.size() - 1;
    }

    /** @return the number of handles */
    int size() {
        return handles.size();
    }

    /** Removes the handles made after {@code mark} (a node that turned out unsupported). */
    void truncate(int mark) {
        while (handles.size() > mark) {
            handles.remove(handles.size() - 1);
            parent.remove(parent.size() - 1);
        }
    }

    Handle get(int ref) {
        return handles.get(ref);
    }

    /** @return the root of a handle's class (path compression) */
    int find(int h) {
        int r = h;
        while (parent.get(r) != r) {
            r = parent.get(r);
        }
        int x = h;
        while (parent.get(x) != r) {
            int next = parent.get(x);
            parent.set(x, r);
            x = next;
        }
        return r;
    }

    /** Unites two classes; the smaller root (earlier in topological order) stays the root. */
    void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            parent.set(Math.max(ra, rb), Math.min(ra, rb));
        }
    }

    /** @return whether a reference's class is a concatenation */
    boolean isComposite(int ref) {
        return handles.get(find(ref)).isComposite();
    }

    /** @return the parts of a reference's concatenation (empty when it is none) */
    List<Integer> partsOf(int ref) {
        return handles.get(find(ref)).parts();
    }
}
