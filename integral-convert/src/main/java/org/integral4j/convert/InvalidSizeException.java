package org.integral4j.convert;

/**
 * A requested size or width ratio that a model cannot take: a ratio outside {@code (0, 1]}
 * (including NaN and the infinities), a group the model does not have or keeps discrete, or a
 * channel count outside the group's range {@code [minimum, full size]} (for a group split into
 * convolution groups: not a multiple of their number). The message names the group, the value
 * given and the valid values.
 *
 * <p>Thrown by {@link IntegralModel#resize(double)}, {@link IntegralModel#resize(String, int)},
 * {@link IntegralModel#resize(java.util.Map)} and, right after the analysis and before any other
 * conversion step, by {@link IntegralWrapper#wrapModel} when the builder was given
 * {@link TargetSizes}. Command lines report it as a usage error.
 */
public final class InvalidSizeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String group;

    /**
     * @param group   the group concerned, or null for a ratio or an unknown group
     * @param message what is wrong and the valid values
     */
    InvalidSizeException(String group, String message) {
        super(message);
        this.group = group;
    }

    /**
     * The group whose size was rejected.
     *
     * @return the group name, or null when a ratio or an unknown group name was rejected
     */
    public String group() {
        return group;
    }
}
