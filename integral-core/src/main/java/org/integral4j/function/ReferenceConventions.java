package org.integral4j.function;

/**
 * TorchIntegral's rules for where quadrature weights apply, written down as named constants
 * (docs/ARCHITECTURE.md, "Reference conventions"). Its {@code build_parameterization} multiplies a weight
 * by trapezoid weights only when
 * <ol>
 *   <li>the parameter is a weight (never a bias),</li>
 *   <li>its input axis (axis 1) is continuous, and</li>
 *   <li>that axis has more than three channels ({@link #MIN_QUADRATURE_SIZE} or more).</li>
 * </ol>
 * Integral4J follows the same rule by default so that converted models match the reference; the
 * train volume is {@code 0.5 * (n_in - 1)} for the full input size {@code n_in} (same section).
 */
public final class ReferenceConventions {

    /** The input axis of a weight in canonical layout {@code (out, in, ...)}. */
    public static final int INPUT_AXIS = 1;

    /** The smallest input size at which the reference applies quadrature weights. */
    public static final int MIN_QUADRATURE_SIZE = 4;

    private ReferenceConventions() {
    }

    /**
     * The axis the reference multiplies by quadrature weights, or -1 for none.
     *
     * @param isBias         whether the parameter is a bias
     * @param weightShape    the full discrete shape {@code (out, in, ...)}
     * @param continuousAxes the continuous axes
     * @return {@link #INPUT_AXIS} or -1
     */
    public static int quadratureAxis(boolean isBias, long[] weightShape, int... continuousAxes) {
        if (isBias || weightShape.length <= INPUT_AXIS || weightShape[INPUT_AXIS] < MIN_QUADRATURE_SIZE) {
            return -1;
        }
        for (int axis : continuousAxes) {
            if (axis == INPUT_AXIS) {
                return INPUT_AXIS;
            }
        }
        return -1;
    }

    /**
     * The reference's train volume for a quadrature axis of full size {@code n}.
     *
     * @param n full size of the quadrature axis
     * @return {@code 0.5 * (n - 1)}
     */
    public static double trainVolume(long n) {
        return 0.5 * (n - 1);
    }
}
