package org.integral4j.convert;

import org.integral4j.convert.permutation.TspResult;

/**
 * Progress of a conversion. {@link IntegralWrapper} logs progress through SLF4J; register a
 * listener to show it elsewhere (a progress bar, a UI). Methods have empty defaults.
 */
public interface ConversionListener {

    /**
     * A phase finished.
     *
     * @param phase  e.g. "analysis", "permutation"
     * @param millis its duration
     */
    default void phaseDone(String phase, double millis) {
    }

    /**
     * The channels of one group were permuted.
     *
     * @param group  the group name
     * @param index  1-based position among the groups being permuted
     * @param total  number of groups being permuted
     * @param result the solver's result
     */
    default void groupPermuted(String group, int index, int total, TspResult result) {
    }
}
