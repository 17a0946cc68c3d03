package org.integral4j.convert.budget;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes chosen for a budget.
 *
 * @param budget       the budget
 * @param sizes        chosen size of every resizable group
 * @param costFraction the chosen sizes' MACs or parameters over the full network's
 * @param sensitivity  per group, the measured points {@code (size, distortion)} (distortion of
 *                     the output when only that group is resized)
 */
public record BudgetResult(Budget budget, Map<String, Integer> sizes, double costFraction,
                           Map<String, List<double[]>> sensitivity) {

    /** Copies. */
    public BudgetResult {
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        sensitivity = Collections.unmodifiableMap(new LinkedHashMap<>(sensitivity));
    }
}
