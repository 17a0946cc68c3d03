package org.integral4j.convert.permutation;

import java.util.Arrays;

/**
 * Argument checks of this package. Every failure is an {@link IllegalArgumentException} whose
 * message reads {@code "<where>: <what> ..., expected ..., got .... <fix>"}, the same shape as the
 * messages of {@code org.integral4j.util.Checks} in integral-core. This package keeps its own copy
 * so that it depends on nd4j-api and slf4j-api only.
 */
final class Args {

    private Args() {
    }

    /** Throws when {@code condition} is false; {@code where} may be empty. */
    static void require(boolean condition, String where, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(prefix(where) + String.format(format, args));
        }
    }

    /** Requires a non-null reference. */
    static <T> T requireNonNull(T value, String where, String what) {
        if (value == null) {
            throw new IllegalArgumentException(prefix(where) + what + " must not be null.");
        }
        return value;
    }

    /** Requires {@code actual >= min}. */
    static int requireAtLeast(String where, String what, int actual, int min, String fix) {
        if (actual < min) {
            throw new IllegalArgumentException(prefix(where) + what + " must be at least " + min
                    + ", got " + actual + "." + suffix(fix));
        }
        return actual;
    }

    /**
     * Requires {@code order} to be a permutation of {@code 0..n-1}.
     *
     * @param where where the permutation is used
     * @param order the permutation (not modified)
     * @param n     the expected length
     */
    static void requirePermutation(String where, int[] order, int n) {
        requireNonNull(order, where, "order");
        if (order.length != n) {
            throw new IllegalArgumentException(prefix(where) + "order has length " + order.length
                    + ", expected " + n + " (one entry per channel)."
                    + " Fix: pass a permutation of 0.." + (n - 1) + ".");
        }
        boolean[] seen = new boolean[n];
        for (int k = 0; k < n; k++) {
            int c = order[k];
            if (c < 0 || c >= n) {
                throw new IllegalArgumentException(prefix(where) + "order[" + k + "] = " + c
                        + " is out of range, expected a channel in [0, " + n + ").");
            }
            if (seen[c]) {
                throw new IllegalArgumentException(prefix(where) + "order is not a permutation: channel "
                        + c + " appears twice (second time at order[" + k + "]). Fix: pass each of 0.."
                        + (n - 1) + " exactly once.");
            }
            seen[c] = true;
        }
    }

    static String shape(long[] shape) {
        return Arrays.toString(shape);
    }

    private static String prefix(String where) {
        return where == null || where.isEmpty() ? "" : where + ": ";
    }

    private static String suffix(String fix) {
        return fix == null || fix.isEmpty() ? "" : " " + fix;
    }
}
