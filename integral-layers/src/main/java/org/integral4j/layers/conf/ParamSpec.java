package org.integral4j.layers.conf;

import java.util.Arrays;
import org.integral4j.function.WeightFunction;

/**
 * One parameter of an integral layer: its key, its shape in the flat parameter vector, and either
 * the {@link WeightFunction} whose knot tensor it is, or nothing for a plain discrete parameter.
 *
 * @param key      the parameter key, e.g. {@code "W"}
 * @param shape    shape of the stored tensor ('c' order): lambda's shape for a function
 * @param function the weight function, or null for a discrete parameter
 * @param groups   the channel group of each continuous axis of the function, in axis order
 *                 (empty for a discrete parameter)
 * @param role     how it is initialised and updated
 * @param onParts  whether the continuous axes sample the part grid of their (partitioned) groups
 *                 instead of the whole grid: the blocks of a grouped convolution
 */
public record ParamSpec(String key, long[] shape, WeightFunction function, String[] groups, Role role,
                        boolean onParts) {

    /**
     * A discrete parameter.
     *
     * @param key   the key
     * @param shape its shape
     * @param role  its role
     * @return the spec
     */
    public static ParamSpec discrete(String key, long[] shape, Role role) {
        return new ParamSpec(key, shape, null, new String[0], role, false);
    }

    /**
     * A parameter that is the knot tensor of a weight function.
     *
     * @param key      the key
     * @param function the function
     * @param groups   the group of each continuous axis
     * @param role     its role
     * @return the spec
     */
    public static ParamSpec function(String key, WeightFunction function, String[] groups, Role role) {
        return new ParamSpec(key, function.lambdaShape(), function, groups, role, false);
    }

    /**
     * A parameter whose continuous axes sample the part grid of partitioned groups (see
     * {@link org.integral4j.layers.grid.PartitionedChannelGroup}).
     *
     * @param key      the key
     * @param function the function, laid out per block
     * @param groups   the partitioned group of each continuous axis
     * @param role     its role
     * @return the spec
     */
    public static ParamSpec functionOnParts(String key, WeightFunction function, String[] groups, Role role) {
        return new ParamSpec(key, function.lambdaShape(), function, groups, role, true);
    }

    /** How a parameter is initialised and updated. */
    public enum Role {
        /** A weight: DL4J's weight init on the full discrete shape, then the right inverse. */
        WEIGHT,
        /** A bias: the configured bias init, then the right inverse. */
        BIAS,
        /** A batch-norm scale: initialised to the configured gamma. */
        GAMMA,
        /** A batch-norm shift: initialised to the configured beta. */
        BETA,
        /** A running statistic: updated by the layer itself (no updater, no regularisation). */
        RUNNING_STATISTIC
    }

    /**
     * Number of stored values.
     *
     * @return the product of the shape
     */
    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Whether the parameter is the knot tensor of a weight function.
     *
     * @return true for a function
     */
    public boolean isFunction() {
        return function != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && key.equals(p.key) && Arrays.equals(shape, p.shape) && role == p.role;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape) + (function == null ? " (discrete)" : " " + function + " on "
                + Arrays.toString(groups)) + " " + role;
    }
}
