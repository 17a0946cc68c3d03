package org.integral4j.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.graph.ChannelGroupSpec;
import org.integral4j.grid.Grid1D;

/**
 * The one size contract of Integral4J's API and command line.
 *
 * <ul>
 *   <li>A width ratio {@code r} is a finite number with {@code 0 < r <= 1}; a group of full size
 *       {@code F} split into {@code p} equal blocks (p = 1 for an ordinary group) then gets
 *       {@code n(r) = p * clamp(round(r * F / p), MIN, F / p)} channels, with
 *       {@code MIN = }{@value Grid1D#MIN_SIZE} (a grid needs two points to stay a function).
 *       Because {@code r <= 1}, {@code n(r) <= F}: no overflow is possible.</li>
 *   <li>A size {@code n} of one group lies in {@code [minimum, F]} with
 *       {@code minimum = min(F, p * MIN)}, and is a multiple of {@code p}. Growing a network beyond
 *       its full size is not offered: a trained network has no information about more channels.</li>
 * </ul>
 */
final class SizeRules {

    private SizeRules() {
    }

    /**
     * The size range of one resizable group.
     *
     * @param group    the group name
     * @param fullSize its full (trained) channel count
     * @param parts    number of equal blocks resized together (grouped convolutions), 1 otherwise
     */
    record Range(String group, int fullSize, int parts) {

        /** @return the smallest size: {@code min(fullSize, parts * MIN)} */
        int minimum() {
            return Math.min(fullSize, parts * Grid1D.MIN_SIZE);
        }

        /**
         * The size at a width ratio (already checked to lie in (0, 1]).
         *
         * @param ratio the ratio
         * @return {@code p * clamp(round(ratio * F / p), MIN, F / p)}, at most the full size
         */
        int sizeAt(double ratio) {
            int perPart = fullSize / parts;
            long n = Math.round(ratio * perPart);
            n = Math.max(Math.min(n, perPart), Math.min(perPart, Grid1D.MIN_SIZE));
            return (int) n * parts;
        }

        /**
         * Checks a requested size.
         *
         * @param size the requested channel count (a long, so that values above the int range are
         *             reported as out of range rather than overflowing)
         * @throws InvalidSizeException when it is outside {@code [minimum, fullSize]} or not a
         *                              multiple of {@code parts}
         */
        void check(long size) {
            if (size < minimum() || size > fullSize) {
                throw new InvalidSizeException(group, String.format("group '%s' takes %d to %d channels (its full"
                                + " size), got %d.%s", group, minimum(), fullSize, size,
                        size > fullSize ? " A trained network cannot grow beyond its full size." : ""));
            }
            if (size % parts != 0) {
                throw new InvalidSizeException(group, String.format("group '%s' feeds a convolution with %d groups;"
                        + " its size must be a multiple of %d, got %d.", group, parts, parts, size));
            }
        }

        /** @return e.g. {@code conv1.out (2..64)} */
        String describe() {
            return group + " (" + minimum() + ".." + fullSize + ")";
        }
    }

    /**
     * Checks a width ratio.
     *
     * @param ratio the ratio
     * @throws InvalidSizeException unless {@code 0 < ratio <= 1} (NaN and infinities included)
     */
    static void checkRatio(double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new InvalidSizeException(null, "the width ratio must be a number in (0, 1] (1 keeps the full"
                    + " size, 0.5 halves every group), got " + ratio + ".");
        }
    }

    /**
     * The sizes a request gives, every value checked.
     *
     * @param request      the request
     * @param ranges       the resizable groups by name, in network order
     * @param notResizable for a name that is not in {@code ranges}: why (e.g. "it is kept discrete
     *                     because ...") or null when the model has no such group at all
     * @return group name to new size, for every group the request changes (ratio first, then the
     *         named sizes), in network order
     * @throws InvalidSizeException for an unknown group or a size out of range
     */
    static Map<String, Integer> resolve(TargetSizes request, Map<String, Range> ranges,
                                        Function<String, String> notResizable) {
        for (Map.Entry<String, Integer> e : request.sizes().entrySet()) {
            Range r = ranges.get(e.getKey());
            if (r == null) {
                throw unknownGroup(e.getKey(), ranges, notResizable.apply(e.getKey()));
            }
            r.check(e.getValue());
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Range r : ranges.values()) {
            Integer named = request.sizes().get(r.group());
            if (named != null) {
                sizes.put(r.group(), named);
            } else if (request.ratio().isPresent()) {
                sizes.put(r.group(), r.sizeAt(request.ratio().getAsDouble()));
            }
        }
        return sizes;
    }

    /**
     * The error for a group name that cannot be resized.
     *
     * @param name   the name given
     * @param ranges the resizable groups
     * @param why    why the model cannot resize it, or null when it has no such group
     * @return the exception
     */
    static InvalidSizeException unknownGroup(String name, Map<String, Range> ranges, String why) {
        List<String> valid = new ArrayList<>();
        ranges.values().forEach(r -> valid.add(r.describe()));
        String list = valid.isEmpty() ? "none (nothing in this network can be resized)" : String.join(", ", valid);
        return new InvalidSizeException(null, why != null
                ? String.format("group '%s' cannot be resized: %s Resizable groups (size range): %s.", name, why, list)
                : String.format("unknown group '%s'. Resizable groups of this model (size range): %s. Discrete axes"
                        + " (network inputs, the class axis, axes kept discrete) cannot be resized.", name, list));
    }

    /**
     * Why the analysis keeps a group discrete, for {@link #unknownGroup}.
     *
     * @param analysis the analysis, or null (a model loaded from a file)
     * @param name     the group name
     * @return e.g. "its channels stay discrete (network output 'out')." or null when the analysis
     *         does not know the group
     */
    static String whyNotResizable(ChannelGroupAnalysis analysis, String name) {
        if (analysis == null || !analysis.contains(name)) {
            return null;
        }
        ChannelGroupSpec g = analysis.group(name);
        if (g.isComposite()) {
            return "it is a concatenation; resize its parts " + g.parts() + ".";
        }
        List<String> causes = new ArrayList<>();
        g.discreteCauses().forEach(c -> causes.add(c.toString()));
        return "its channels stay discrete (" + String.join("; ", causes) + ").";
    }
}
