package org.integral4j.convert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.integral4j.util.Checks;

/**
 * The sizes a model should have: a width ratio for every resizable group and/or channel counts
 * for named groups (these override the ratio for their group). Immutable; built by
 * {@link #builder()}.
 *
 * <p>The size contract is the one of {@link IntegralModel#resize(double)} and
 * {@link IntegralModel#resize(String, int)}: a ratio is a finite number in {@code (0, 1]}, a size
 * is in {@code [minimum, full size]} of its group. The ratio is checked when it is set; group names
 * and sizes need the model and are checked by {@link IntegralWrapper#wrapModel} right after the
 * analysis (before batch-norm folding and the channel-ordering search) or by
 * {@link IntegralModel#resize(TargetSizes)}, with an {@link InvalidSizeException}.
 *
 * <pre>{@code
 * TargetSizes t = TargetSizes.builder().ratio(0.5).size("fc1.out", 32).build();
 * IntegralModel inn = IntegralWrapper.builder().targetSizes(t).build().wrapModel(net);  // fails fast
 * }</pre>
 */
public final class TargetSizes {

    private final double ratio;
    private final Map<String, Integer> sizes;

    private TargetSizes(Builder b) {
        this.ratio = b.ratio;
        this.sizes = Collections.unmodifiableMap(new LinkedHashMap<>(b.sizes));
    }

    /**
     * Starts an empty request (no ratio, no sizes: every group keeps its size).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The width ratio for every group.
     *
     * @return the ratio in {@code (0, 1]}, or empty when none was given
     */
    public OptionalDouble ratio() {
        return Double.isNaN(ratio) ? OptionalDouble.empty() : OptionalDouble.of(ratio);
    }

    /**
     * Channel counts of named groups, in the order given.
     *
     * @return group name to size (unmodifiable)
     */
    public Map<String, Integer> sizes() {
        return sizes;
    }

    /** @return whether neither a ratio nor a size was given */
    public boolean isEmpty() {
        return Double.isNaN(ratio) && sizes.isEmpty();
    }

    @Override
    public String toString() {
        return "TargetSizes[ratio=" + (Double.isNaN(ratio) ? "none" : ratio) + ", sizes=" + sizes + "]";
    }

    /** Builds {@link TargetSizes}. */
    public static final class Builder {
        /** NaN: no ratio. */
        private double ratio = Double.NaN;
        private final Map<String, Integer> sizes = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Every resizable group to {@code round(ratio * full size)} channels, at least its minimum.
         *
         * @param ratio a finite number in {@code (0, 1]} (1 keeps the full size)
         * @return this builder
         * @throws InvalidSizeException when the ratio is outside {@code (0, 1]}, NaN or infinite
         */
        public Builder ratio(double ratio) {
            SizeRules.checkRatio(ratio);
            this.ratio = ratio;
            return this;
        }

        /**
         * One group to {@code size} channels (overrides the ratio for that group).
         *
         * @param group the group name
         * @param size  the channel count, checked against the group's range when applied
         * @return this builder
         * @throws IllegalArgumentException when the group is null or was given a size already
         */
        public Builder size(String group, int size) {
            Checks.requireNonNull("TargetSizes", "group", group);
            Integer before = sizes.putIfAbsent(group, size);
            Checks.require(before == null, "TargetSizes", "group '%s' is given a size twice (%d and %d); give one.",
                    group, before, size);
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the immutable request
         */
        public TargetSizes build() {
            return new TargetSizes(this);
        }
    }
}
