package org.integral4j.convert.graph;

import java.util.Objects;

/**
 * Why a channel group stays discrete. Immutable.
 */
public final class DiscreteCause {

    /** The kinds of cause. */
    public enum Kind {
        /** The group holds a network input's channels (e.g. image channels): never continuous. */
        NETWORK_INPUT,
        /** The group holds a network output's channels (e.g. classes): discrete by default. */
        NETWORK_OUTPUT,
        /** The options force an axis of the group discrete. */
        FORCED_BY_USER,
        /** A node the analysis does not support reads or emits the group. */
        UNSUPPORTED_NODE,
        /** A layer whose channels must stay as they are (e.g. YOLO's output layer) reads or emits the group. */
        CHANNELS_KEPT,
        /** The group is concatenated with (or is a concatenation containing) a discrete group. */
        CONCATENATED_WITH_DISCRETE
    }

    private final Kind kind;
    private final String node;
    private final String detail;

    DiscreteCause(Kind kind, String node, String detail) {
        this.kind = kind;
        this.node = node;
        this.detail = detail == null ? "" : detail;
    }

    /** @return the kind of cause */
    public Kind kind() {
        return kind;
    }

    /** @return the node responsible (the input, output, forced, unsupported or concatenating node) */
    public String node() {
        return node;
    }

    /** @return more detail, e.g. the unsupported node's reason; may be empty */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        switch (kind) {
            case NETWORK_INPUT:
                return "network input '" + node + "'";
            case NETWORK_OUTPUT:
                return "network output '" + node + "'";
            case FORCED_BY_USER:
                return "forced discrete at '" + node + "'" + (detail.isEmpty() ? "" : " (" + detail + ")");
            case UNSUPPORTED_NODE:
                return "unsupported node '" + node + "'" + (detail.isEmpty() ? "" : ": " + detail);
            case CHANNELS_KEPT:
                return "channels kept by '" + node + "'" + (detail.isEmpty() ? "" : ": " + detail);
            default:
                return "concatenated at '" + node + "' with discrete " + detail;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DiscreteCause)) {
            return false;
        }
        DiscreteCause c = (DiscreteCause) o;
        return kind == c.kind && node.equals(c.node) && detail.equals(c.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, node, detail);
    }
}
