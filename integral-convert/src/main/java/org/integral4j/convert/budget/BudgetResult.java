package org.integral4j.convert.budget;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sizes chosen for a budget.
 *
 * @param budget       the budget
 * @param sizes        chosen size of every resizable group
 * @param costFraction the chosen sizes' MACs or parameters over the full network's
 * @param sensitivity  per group, the measured points {@code (size, distortion)} (distortion of
 *                     the output when only that group is resized)
 * @param candidates   the sizes compared (greedy, uniform, between), each with its cost and score
 * @param chosen       the name of the candidate whose sizes these are
 */
public record BudgetResult(Budget budget, Map<String, Integer> sizes, double costFraction,
                           Map<String, List<double[]>> sensitivity, List<Candidate> candidates, String chosen) {

    /**
     * One allocation the search compared.
     *
     * @param name         "greedy", "uniform" or "between"
     * @param sizes        size of every resizable group
     * @param costFraction its MACs or parameters over the full network's
     * @param foldScores   per cross-validation fold, the distortion against the full network on the
     *                     fold's held-out inputs after the calibration fitted on the others (empty
     *                     when it was the only candidate and was not scored)
     */
    public record Candidate(String name, Map<String, Integer> sizes, double costFraction, List<Double> foldScores) {

        /** Copies. */
        public Candidate {
            sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
            foldScores = List.copyOf(foldScores);
        }

        /**
         * The objective the search minimises.
         *
         * @return the mean of the fold scores, or NaN when the candidate was not scored
         */
        public double objective() {
            return foldScores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            StringBuilder folds = new StringBuilder();
            for (double f : foldScores) {
                folds.append(folds.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.4g", f));
            }
            return String.format(Locale.ROOT, "%s %.4g (%s) at %.3f", name, objective(), folds, costFraction);
        }
    }

    /** Copies. */
    public BudgetResult {
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        sensitivity = Collections.unmodifiableMap(new LinkedHashMap<>(sensitivity));
        candidates = List.copyOf(candidates);
    }

    /**
     * A candidate by name.
     *
     * @param name "greedy", "uniform" or "between"
     * @return the candidate, or empty when it was not compared (e.g. the same sizes as another)
     */
    public Optional<Candidate> candidate(String name) {
        return candidates.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
