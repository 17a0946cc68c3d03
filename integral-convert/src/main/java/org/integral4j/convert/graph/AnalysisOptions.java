package org.integral4j.convert.graph;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.util.Checks;

/**
 * Options of {@link ChannelGroupAnalyzer}: which channel axes must stay discrete or become
 * continuous, and what to do with nodes the analysis does not support. Immutable; build with
 * {@link #builder()}.
 *
 * <p><b>Defaults.</b> Every channel group is continuous except
 * <ul>
 *   <li>the groups of the network inputs (e.g. image channels), which can never be made
 *       continuous, and</li>
 *   <li>the groups of the network outputs (e.g. the classes), which
 *       {@link Builder#forceContinuous(String, Side)} can make continuous.</li>
 * </ul>
 * Nodes the analysis does not support are an error where they touch a group that would otherwise
 * be resampled ({@link #keepUnsupportedDiscrete()} false). The layer kinds come from
 * {@link LayerRegistry#defaults()}.
 *
 * <p><b>Overrides address a node's axis, and act on its whole group.</b> Forcing
 * {@code ("fc1", OUTPUT)} discrete keeps the group of fc1's output channels discrete, i.e. also
 * the input axis of every layer that reads them, the batch norms between, and any residual
 * partners. The same holds for a pass-through node: {@code ("bn1", OUTPUT)} names the group that
 * flows through bn1. A node's {@link Side#INPUT} names the groups of all its inputs.
 */
public final class AnalysisOptions {

    /** Which axis of a node an override addresses. */
    public enum Side {
        /** The channels the node reads (every input of a multi-input vertex). */
        INPUT,
        /** The channels the node emits. */
        OUTPUT
    }

    private static final AnalysisOptions DEFAULTS = builder().build();

    private final Map<String, Set<Side>> forcedDiscrete;
    private final Map<String, Set<Side>> forcedContinuous;
    private final boolean keepUnsupportedDiscrete;
    private final LayerRegistry layerRegistry;
    private final boolean requireIntegralLayers;

    private AnalysisOptions(Builder b) {
        this.requireIntegralLayers = b.requireIntegralLayers;
        this.forcedDiscrete = freeze(b.forcedDiscrete);
        this.forcedContinuous = freeze(b.forcedContinuous);
        this.keepUnsupportedDiscrete = b.keepUnsupportedDiscrete;
        this.layerRegistry = b.layerRegistry;
    }

    private static Map<String, Set<Side>> freeze(Map<String, EnumSet<Side>> m) {
        Map<String, Set<Side>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Collections.unmodifiableSet(EnumSet.copyOf(v))));
        return Collections.unmodifiableMap(out);
    }

    /** @return the default options (see the class documentation) */
    public static AnalysisOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return node name to the sides forced discrete, in insertion order */
    public Map<String, Set<Side>> forcedDiscrete() {
        return forcedDiscrete;
    }

    /** @return node name to the sides forced continuous, in insertion order */
    public Map<String, Set<Side>> forcedContinuous() {
        return forcedContinuous;
    }

    /**
     * @return true: an unsupported node makes every group it touches discrete and is listed in
     *         the result; false: an unsupported node is an {@link IllegalArgumentException}
     */
    public boolean keepUnsupportedDiscrete() {
        return keepUnsupportedDiscrete;
    }

    /**
     * @return the layer kinds the analysis (and a conversion with these options) knows; by default
     *         {@link LayerRegistry#defaults()}
     */
    public LayerRegistry layerRegistry() {
        return layerRegistry;
    }

    /**
     * @return true: a layer whose channels the analysis understands but which has no integral
     *         counterpart ({@code SeparableConvolution2D}) is unsupported where it touches a group
     *         that would otherwise be resampled, as the integral conversion needs; false (the
     *         default, e.g. for the L1 baseline, which only selects channels): its groups may be
     *         continuous. {@code IntegralWrapper} always analyses with true.
     */
    public boolean requireIntegralLayers() {
        return requireIntegralLayers;
    }

    /** @return a builder with these options' settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        forcedDiscrete.forEach((n, sides) -> sides.forEach(s -> b.forceDiscrete(n, s)));
        forcedContinuous.forEach((n, sides) -> sides.forEach(s -> b.forceContinuous(n, s)));
        return b.keepUnsupportedDiscrete(keepUnsupportedDiscrete).layerRegistry(layerRegistry)
                .requireIntegralLayers(requireIntegralLayers);
    }

    /** @return every node the overrides name, in insertion order */
    Set<String> namedNodes() {
        Set<String> named = new LinkedHashSet<>(forcedDiscrete.keySet());
        named.addAll(forcedContinuous.keySet());
        return named;
    }

    @Override
    public String toString() {
        return "AnalysisOptions{forcedDiscrete=" + forcedDiscrete + ", forcedContinuous=" + forcedContinuous
                + ", keepUnsupportedDiscrete=" + keepUnsupportedDiscrete + ", requireIntegralLayers="
                + requireIntegralLayers + ", layerRegistry=" + layerRegistry + "}";
    }

    /** Builds {@link AnalysisOptions}. */
    public static final class Builder {
        private final Map<String, EnumSet<Side>> forcedDiscrete = new LinkedHashMap<>();
        private final Map<String, EnumSet<Side>> forcedContinuous = new LinkedHashMap<>();
        private boolean keepUnsupportedDiscrete;
        private LayerRegistry layerRegistry = LayerRegistry.defaults();
        private boolean requireIntegralLayers;

        private Builder() {
        }

        /**
         * Keeps the groups of both axes of a node discrete.
         *
         * @param node a node name of the analysed view
         * @return this
         */
        public Builder forceDiscrete(String node) {
            return forceDiscrete(node, Side.INPUT).forceDiscrete(node, Side.OUTPUT);
        }

        /**
         * Keeps the group of one axis of a node discrete, e.g. {@code ("fc1", OUTPUT)}.
         *
         * @param node a node name of the analysed view
         * @param side which axis
         * @return this
         */
        public Builder forceDiscrete(String node, Side side) {
            add(forcedDiscrete, node, side);
            return this;
        }

        /**
         * Makes the group of one axis of a node continuous although it would be discrete by
         * default, e.g. a network output that is a feature embedding rather than classes. Only
         * the network-output default can be overridden; the analysis rejects the option when the
         * group must stay discrete for another reason (network input, unsupported node, forced
         * discrete).
         *
         * @param node a node name of the analysed view
         * @param side which axis
         * @return this
         */
        public Builder forceContinuous(String node, Side side) {
            add(forcedContinuous, node, side);
            return this;
        }

        /**
         * @param keep true to make every group that an unsupported node touches discrete (and
         *             list the node in the result) instead of failing
         * @return this
         */
        public Builder keepUnsupportedDiscrete(boolean keep) {
            this.keepUnsupportedDiscrete = keep;
            return this;
        }

        /**
         * The layer kinds to know (default {@link LayerRegistry#defaults()}), e.g. with one more
         * kind for a custom layer class: {@code LayerRegistry.defaults().with(kind)}.
         *
         * @param registry the registry
         * @return this
         */
        public Builder layerRegistry(LayerRegistry registry) {
            this.layerRegistry = Checks.requireNonNull("AnalysisOptions", "layerRegistry", registry);
            return this;
        }

        /**
         * @param require true to treat layers without an integral counterpart as unsupported where
         *                they touch a group that would otherwise be resampled (see
         *                {@link AnalysisOptions#requireIntegralLayers()})
         * @return this
         */
        public Builder requireIntegralLayers(boolean require) {
            this.requireIntegralLayers = require;
            return this;
        }

        private static void add(Map<String, EnumSet<Side>> m, String node, Side side) {
            Checks.require(node != null && !node.isEmpty(), "AnalysisOptions", "node name must not be empty.");
            Checks.requireNonNull("AnalysisOptions", "side", side);
            m.computeIfAbsent(node, k -> EnumSet.noneOf(Side.class)).add(side);
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if the same axis is forced both discrete and continuous
         */
        public AnalysisOptions build() {
            for (Map.Entry<String, EnumSet<Side>> e : forcedDiscrete.entrySet()) {
                EnumSet<Side> both = forcedContinuous.get(e.getKey());
                if (both != null) {
                    for (Side s : e.getValue()) {
                        Checks.require(!both.contains(s), "AnalysisOptions",
                                "the %s axis of '%s' is forced both discrete and continuous. Fix: keep one of"
                                        + " forceDiscrete/forceContinuous for it.", s, e.getKey());
                    }
                }
            }
            return new AnalysisOptions(this);
        }
    }
}
