package org.integral4j.distributed;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;

/**
 * A width at which to evaluate an integral network: either one ratio for every group
 * ({@code round(ratio * fullSize)} channels, at least 2) or explicit sizes for some groups (the
 * others keep the model's evaluation sizes).
 *
 * @param label a name for tables (e.g. {@code "50%"})
 * @param ratio the width ratio, or {@code NaN} when {@code sizes} is given
 * @param sizes group name to channel count, or an empty map when {@code ratio} is given
 */
public record Width(String label, double ratio, Map<String, Integer> sizes) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Validates and copies.
     *
     * @param label the label
     * @param ratio the ratio or NaN
     * @param sizes the sizes (copied) or empty
     */
    public Width {
        Checks.requireNonNull("Width", "label", label);
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.requireNonNull("Width", "sizes", sizes)));
        Checks.require(Double.isNaN(ratio) != sizes.isEmpty(), "Width '" + label + "'",
                "give either a ratio or group sizes, not both and not neither (ratio %s, sizes %s).", ratio, sizes);
        Checks.require(Double.isNaN(ratio) || ratio > 0, "Width '" + label + "'", "the ratio must be positive, got %s.",
                ratio);
    }

    /**
     * Every group at {@code ratio} of its full size.
     *
     * @param ratio the ratio, positive (1 is the full network)
     * @return the width, labelled like {@code "50%"}
     */
    public static Width ratio(double ratio) {
        return new Width(Math.round(ratio * 1000) / 10.0 + "%", ratio, Map.of());
    }

    /**
     * The full network.
     *
     * @return the width of ratio 1
     */
    public static Width full() {
        return ratio(1.0);
    }

    /**
     * Explicit sizes for some groups.
     *
     * @param label a name for tables
     * @param sizes group name to channel count (copied)
     * @return the width
     */
    public static Width sizes(String label, Map<String, Integer> sizes) {
        return new Width(label, Double.NaN, sizes);
    }

    /**
     * Resizes groups to this width.
     *
     * @param groups    the groups (modified: their evaluation sizes)
     * @param baseSizes the sizes of groups this width does not name (the model's evaluation sizes)
     */
    public void applyTo(ChannelGroups groups, Map<String, Integer> baseSizes) {
        if (!Double.isNaN(ratio)) {
            groups.resizeAll(ratio);
        } else {
            groups.resizeAll(baseSizes);
            groups.resizeAll(sizes);
        }
    }
}
