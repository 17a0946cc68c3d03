package org.integral4j.util;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place where Integral4J validates arguments. Every failure is an
 * {@link IllegalArgumentException} whose message says where the problem is ({@code where}: a
 * layer, group or parameter name), what was expected, what was given and, where it helps, how to
 * fix the call. Library code calls these helpers instead of writing its own checks.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Throws when {@code condition} is false.
     *
     * @param condition the condition that must hold
     * @param where     where the problem is (layer, group or parameter name); may be empty
     * @param format    message format ({@link String#format})
     * @param args      message arguments
     */
    public static void require(boolean condition, String where, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(prefix(where) + String.format(format, args));
        }
    }

    /**
     * Requires {@code actual >= min}.
     *
     * @param where where the value is used
     * @param what  the value's name, e.g. "grid size"
     * @param actual the given value
     * @param min   the smallest allowed value
     * @param fix   how to fix the call; may be empty
     * @return {@code actual}
     */
    public static int requireAtLeast(String where, String what, int actual, int min, String fix) {
        if (actual < min) {
            throw new IllegalArgumentException(prefix(where) + what + " must be at least " + min
                    + ", got " + actual + "." + suffix(fix));
        }
        return actual;
    }

    /**
     * Requires {@code 0 <= index < size}.
     *
     * @param where where the index is used
     * @param what  the index's name, e.g. "axis"
     * @param index the given index
     * @param size  the exclusive upper bound
     * @return {@code index}
     */
    public static int requireIndex(String where, String what, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(prefix(where) + what + " must be in [0, " + size
                    + "), got " + index + ".");
        }
        return index;
    }

    /**
     * Requires two shapes to be equal.
     *
     * @param where    where the array is used
     * @param what     the array's name with its named axes, e.g. "lambda (out*, in*, kH, kW)"
     * @param expected the expected shape
     * @param actual   the given shape
     * @param fix      how to fix the call; may be empty
     */
    public static void requireShape(String where, String what, long[] expected, long[] actual, String fix) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalArgumentException(prefix(where) + what + " has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(expected) + "."
                    + suffix(fix));
        }
    }

    /**
     * Requires an array of the given rank.
     *
     * @param where    where the array is used
     * @param what     the array's name with its named axes
     * @param expected the expected rank
     * @param array    the array
     */
    public static void requireRank(String where, String what, int expected, INDArray array) {
        require(array != null, where, "%s is null.", what);
        if (array.rank() != expected) {
            throw new IllegalArgumentException(prefix(where) + what + " must have rank " + expected
                    + ", got rank " + array.rank() + " with shape " + Arrays.toString(array.shape()) + ".");
        }
    }

    /**
     * Requires every value to be finite.
     *
     * @param where  where the values are used
     * @param what   their name
     * @param values the values
     */
    public static void requireFinite(String where, String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(prefix(where) + what + " must be finite, got "
                        + values[i] + " at flat index " + i + ".");
            }
        }
    }

    /**
     * Requires the first {@code length} values to be finite.
     *
     * @param where  where it is used
     * @param what   its name
     * @param values the values (not modified)
     * @param length how many leading values to check
     */
    public static void requireFinite(String where, String what, double[] values, int length) {
        for (int i = 0; i < length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(prefix(where) + what + " must be finite, got "
                        + values[i] + " at flat index " + i + ".");
            }
        }
    }

    /**
     * Requires the first {@code length} values to be finite.
     *
     * @param where  where it is used
     * @param what   its name
     * @param values the values (not modified)
     * @param length how many leading values to check
     */
    public static void requireFinite(String where, String what, float[] values, int length) {
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(prefix(where) + what + " must be finite, got "
                        + values[i] + " at flat index " + i + ".");
            }
        }
    }

    /**
     * Requires a non-null reference.
     *
     * @param where where it is used
     * @param what  its name
     * @param value the reference
     * @param <T>   its type
     * @return {@code value}
     */
    public static <T> T requireNonNull(String where, String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(prefix(where) + what + " must not be null.");
        }
        return value;
    }

    private static String prefix(String where) {
        return where == null || where.isEmpty() ? "" : where + ": ";
    }

    private static String suffix(String fix) {
        return fix == null || fix.isEmpty() ? "" : " " + fix;
    }
}
