package org.integral4j.convert.budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.calibration.Calibration;
import org.integral4j.convert.calibration.CalibrationInputs;
import org.integral4j.convert.calibration.CalibrationOptions;
import org.integral4j.convert.calibration.HeldOutScore;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a size per channel group within a budget.
 *
 * <p><b>Sensitivity.</b> For every group {@code g} and a few sizes {@code s} (fractions
 * {@link #PROBE_FRACTIONS} of its full size, on the budget's multiple), the integral network with
 * only {@code g} resized to {@code s} is run on the calibration inputs and its output compared to
 * the full network's: {@code D_g(s)} = mean KL divergence {@code KL(p_full || p)} for probability
 * outputs, else the mean squared difference. Between probes {@code D_g} is interpolated linearly
 * and made non-increasing in {@code s}.
 *
 * <p><b>Allocation.</b> The total distortion is modelled as additive, {@code D(s) = sum_g D_g(s_g)},
 * and the cost ({@link CostModel}) is exact. Starting from full size, a greedy search repeatedly
 * shrinks by one multiple the group with the smallest distortion increase per unit of cost saved,
 * {@code (D_g(s_g - m) - D_g(s_g)) / (cost(s) - cost(s - m e_g))}, until the cost is within the
 * budget.
 *
 * <p><b>Choice for the calibration that follows.</b> The sensitivities are measured on the resampled
 * network, but a network is calibrated after resizing, and calibration repairs some groups far
 * better than others, so the greedy allocation can lose to the uniform width. Three candidates
 * are therefore compared after calibration: the greedy allocation, the uniform width (the largest
 * ratio {@code r} whose sizes, by the model's own rounding and on the multiple, are within the
 * budget) and the sizes halfway between them (shrunk greedily into the budget). Each is scored
 * by two-fold cross-validation: calibrated with the given {@link CalibrationOptions} on one half of
 * the inputs and scored by the same distortion against the full network on the other half, then
 * the halves swapped (one score on all inputs when fewer than {@code 2 * }{@value HeldOutScore#MIN_HELD_OUT}).
 * The objective is the mean of the fold scores; the lowest wins, except that the uniform width is
 * kept unless another candidate scores at least {@link #MARGIN} lower <i>in every fold</i>. So the
 * result is never worse than the uniform width on this objective, and a candidate whose advantage
 * rests on one half of the inputs is not taken. The model is not modified ({@link IntegralModel#resizeToBudget}
 * applies the sizes).
 */
public final class BudgetSearch {

    /** Fractions of the full size at which each group's distortion is measured. */
    public static final double[] PROBE_FRACTIONS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8};
    /** The most calibration inputs used to measure distortion. */
    public static final int MAX_PROBE_INPUTS = 256;
    /**
     * Another candidate replaces the uniform width only when its score is lower by at least this
     * fraction in every fold: smaller differences are within the noise of a few hundred scoring
     * inputs (in the calibration study a 5% lower score on one held-out half still meant 2 points
     * less accuracy once).
     */
    public static final double MARGIN = 0.1;
    private static final Logger LOG = LoggerFactory.getLogger(BudgetSearch.class);

    private BudgetSearch() {
    }

    /**
     * Searches sizes.
     *
     * @param model      the integral model (not modified)
     * @param budget     the budget
     * @param inputs     unlabeled inputs (not modified)
     * @param inputTypes the network's input types (for MACs)
     * @return the sizes and what was measured
     * @throws IllegalArgumentException when even the smallest sizes exceed the budget
     */
    public static BudgetResult search(IntegralModel model, Budget budget, INDArray inputs, InputType... inputTypes) {
        return search(model, budget, inputs, CalibrationOptions.defaults(), inputTypes);
    }

    /**
     * Searches sizes for the calibration that will follow them: the greedy allocation, the uniform
     * width within the budget and one between them are each calibrated with {@code calibration}
     * on part of the inputs and scored on the rest, and the lowest distortion wins (see the class
     * comment).
     *
     * @param model       the integral model (not modified)
     * @param budget      the budget
     * @param inputs      unlabeled inputs (not modified)
     * @param calibration the calibration that will be applied to the chosen sizes, or null to score
     *                    the resampled networks without calibration
     * @param inputTypes  the network's input types (for MACs)
     * @return the sizes, the candidates with their scores, and what was measured
     * @throws IllegalArgumentException when even the smallest sizes exceed the budget
     */
    public static BudgetResult search(IntegralModel model, Budget budget, INDArray inputs,
                                      CalibrationOptions calibration, InputType... inputTypes) {
        Checks.requireNonNull("BudgetSearch", "model", model);
        Checks.requireNonNull("BudgetSearch", "budget", budget);
        CalibrationInputs.validate(model.dl4jNetwork(), inputs);
        long t0 = System.nanoTime();
        CostModel cost = model.costModel(inputTypes);
        IntegralModel work = model.copy();
        work.resize(1.0);
        long n = Math.min(inputs.size(0), MAX_PROBE_INPUTS);
        INDArray x = inputs.get(NDArrayIndex.interval(0, n)).castTo(work.network().params().dataType());
        INDArray reference = work.dl4jNetwork().output(x)[0].castTo(DataType.DOUBLE);
        Map<String, TreeMap<Integer, Double>> curves = curves(work, budget, x, reference);
        Map<String, List<double[]>> measured = new LinkedHashMap<>();
        curves.forEach((g, curve) -> {
            List<double[]> pts = new ArrayList<>();
            curve.forEach((s, d) -> pts.add(new double[] {s, d}));
            measured.put(g, pts);
        });
        double limit = budget.fraction() * cost.fullCost(budget.kind());
        List<String> names = new ArrayList<>();
        List<Map<String, Integer>> sizes = candidates(work, budget, cost, curves, limit, names);
        List<BudgetResult.Candidate> candidates = scoreCandidates(work, budget, cost, inputs, calibration, names,
                sizes);
        int best = choose(candidates, names);
        Map<String, Integer> chosen = sizes.get(best);
        double fraction = cost.cost(budget.kind(), chosen) / cost.fullCost(budget.kind());
        LOG.info("budget {} of {}: sizes {} ({} of full; {}) in {} s", budget.fraction(), budget.kind(), chosen,
                String.format("%.3f", fraction), candidates, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return new BudgetResult(budget, chosen, fraction, measured, candidates, names.get(best));
    }

    /**
     * Each group's distortion curve: the output distortion with that group alone at each probe
     * size (the others at full size), made non-increasing in the size.
     */
    private static Map<String, TreeMap<Integer, Double>> curves(IntegralModel work, Budget budget, INDArray x,
                                                               INDArray reference) {
        Map<String, TreeMap<Integer, Double>> curves = new LinkedHashMap<>();
        for (String g : work.groupNames()) {
            int full = work.fullSize(g);
            TreeMap<Integer, Double> curve = new TreeMap<>();
            curve.put(full, 0.0);
            for (double f : PROBE_FRACTIONS) {
                int s = snap((int) Math.round(f * full), budget.multiple(), full);
                if (curve.containsKey(s)) {
                    continue;
                }
                work.resize(g, s);
                curve.put(s, HeldOutScore.distortion(work.dl4jNetwork(), x, reference));
                work.resize(g, full);
            }
            monotone(curve);
            curves.put(g, curve);
        }
        return curves;
    }

    /**
     * The candidate sizes within the limit: greedy shrinking by the curves, the uniform width, and
     * halfway between the two (shrunk to the limit).
     *
     * @param names the candidates' names (modified: filled in the order of the result)
     * @return the candidates' sizes, distinct
     */
    private static List<Map<String, Integer>> candidates(IntegralModel work, Budget budget, CostModel cost,
                                                         Map<String, TreeMap<Integer, Double>> curves, double limit,
                                                         List<String> names) {
        Map<String, Integer> full = new LinkedHashMap<>();
        for (String g : work.groupNames()) {
            full.put(g, work.fullSize(g));
        }
        Map<String, Integer> greedy = shrink(full, budget, cost, curves, limit);
        Map<String, Integer> uniform = uniform(work, budget, cost, limit);
        List<Map<String, Integer>> sizes = new ArrayList<>();
        addCandidate("greedy", greedy, names, sizes);
        if (uniform != null) {
            addCandidate("uniform", uniform, names, sizes);
            Map<String, Integer> between = new LinkedHashMap<>();
            for (String g : greedy.keySet()) {
                int s = snap((int) Math.round(0.5 * (greedy.get(g) + uniform.get(g))), budget.multiple(),
                        work.fullSize(g));
                between.put(g, Math.max(s, curves.get(g).firstKey()));
            }
            addCandidate("between", shrink(between, budget, cost, curves, limit), names, sizes);
        }
        return sizes;
    }

    /**
     * Scores every candidate (when there is more than one) by two-fold cross-validation: calibrated
     * on one half of the inputs, KL divergence to the full network on the other, and the halves
     * swapped.
     */
    private static List<BudgetResult.Candidate> scoreCandidates(IntegralModel work, Budget budget, CostModel cost,
                                                                INDArray inputs, CalibrationOptions calibration,
                                                                List<String> names, List<Map<String, Integer>> sizes) {
        List<BudgetResult.Candidate> candidates = new ArrayList<>();
        if (sizes.size() == 1) {
            candidates.add(new BudgetResult.Candidate(names.get(0), sizes.get(0),
                    cost.cost(budget.kind(), sizes.get(0)) / cost.fullCost(budget.kind()), List.of()));
            return candidates;
        }
        work.resize(1.0);
        HeldOutScore.CrossValidation cv = new HeldOutScore.CrossValidation(work.dl4jNetwork(), inputs,
                work.network().params().dataType());
        for (int c = 0; c < sizes.size(); c++) {
            Map<String, Integer> s = sizes.get(c);
            List<Double> scores = cv.scores(fit -> fitted(work, s, calibration, fit));
            candidates.add(new BudgetResult.Candidate(names.get(c), s,
                    cost.cost(budget.kind(), s) / cost.fullCost(budget.kind()), scores));
        }
        return candidates;
    }

    /**
     * The best-scoring candidate, but the uniform width unless the best scores {@link #MARGIN}
     * lower than it in every fold.
     */
    private static int choose(List<BudgetResult.Candidate> candidates, List<String> names) {
        int best = 0;
        for (int c = 1; c < candidates.size(); c++) {
            if (candidates.get(c).objective() < candidates.get(best).objective()) {
                best = c;
            }
        }
        int u = names.indexOf("uniform");
        if (u >= 0 && best != u && !winsByTheMargin(candidates.get(best), candidates.get(u))) {
            best = u;
        }
        return best;
    }

    /** True when {@code c} scores at least {@link #MARGIN} lower than {@code uniform} in every fold. */
    static boolean winsByTheMargin(BudgetResult.Candidate c, BudgetResult.Candidate uniform) {
        for (int f = 0; f < c.foldScores().size(); f++) {
            if (!(c.foldScores().get(f) <= (1 - MARGIN) * uniform.foldScores().get(f))) {
                return false;
            }
        }
        return true;
    }

    /** Adds sizes under a name unless the same sizes are there already. */
    private static void addCandidate(String name, Map<String, Integer> s, List<String> names,
                                     List<Map<String, Integer>> sizes) {
        if (s != null && !sizes.contains(s)) {
            names.add(name);
            sizes.add(s);
        }
    }

    /**
     * Greedy: from {@code start}, repeatedly shrinks by one multiple the group with the smallest
     * distortion increase per unit of cost saved until the cost is within {@code limit}.
     */
    private static Map<String, Integer> shrink(Map<String, Integer> start, Budget budget, CostModel cost,
                                               Map<String, TreeMap<Integer, Double>> curves, double limit) {
        Map<String, Integer> sizes = new LinkedHashMap<>(start);
        double current = cost.cost(budget.kind(), sizes);
        while (current > limit * (1 + 1e-12)) {
            String best = null;
            double bestRate = Double.POSITIVE_INFINITY;
            double bestCost = current;
            int bestSize = 0;
            for (String g : sizes.keySet()) {
                int s = sizes.get(g);
                int smaller = nextSmaller(s, budget.multiple(), curves.get(g).firstKey());
                if (smaller < 0) {
                    continue;
                }
                sizes.put(g, smaller);
                double c = cost.cost(budget.kind(), sizes);
                sizes.put(g, s);
                double saved = current - c;
                if (saved <= 0) {
                    continue;
                }
                double rate = (value(curves.get(g), smaller) - value(curves.get(g), s)) / saved;
                if (rate < bestRate) {
                    bestRate = rate;
                    best = g;
                    bestCost = c;
                    bestSize = smaller;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "BudgetSearch: the budget of "
                        + "%.1f%% of the full network's %s cannot be met: the smallest sizes %s still cost %.1f%%. "
                        + "Raise the fraction or lower the multiple (%d).", 100 * budget.fraction(), budget.kind(),
                        sizes, 100 * current / cost.fullCost(budget.kind()), budget.multiple()));
            }
            sizes.put(best, bestSize);
            current = bestCost;
        }
        return sizes;
    }

    /**
     * The uniform width within the budget: the sizes of the largest ratio {@code r} (found by
     * bisection; sizes by the model's own ratio rule, then on the multiple) whose cost is within
     * {@code limit}, or null when even the smallest ratio exceeds it.
     */
    static Map<String, Integer> uniform(IntegralModel work, Budget budget, CostModel cost, double limit) {
        double lo = 0;
        double hi = 1;
        Map<String, Integer> best = null;
        Map<String, Integer> atOne = uniformSizes(work, 1.0, budget.multiple());
        if (cost.cost(budget.kind(), atOne) <= limit * (1 + 1e-12)) {
            return atOne;
        }
        for (int i = 0; i < 40; i++) {
            double mid = 0.5 * (lo + hi);
            Map<String, Integer> s = uniformSizes(work, Math.max(mid, 1e-6), budget.multiple());
            if (cost.cost(budget.kind(), s) <= limit * (1 + 1e-12)) {
                lo = mid;
                best = s;
            } else {
                hi = mid;
            }
        }
        work.resize(1.0);
        return best;
    }

    private static Map<String, Integer> uniformSizes(IntegralModel work, double ratio, int multiple) {
        work.resize(ratio);
        Map<String, Integer> s = new LinkedHashMap<>();
        for (String g : work.groupNames()) {
            int v = work.size(g);
            s.put(g, multiple == 1 ? v : snap(v, multiple, work.fullSize(g)));
        }
        return s;
    }

    /**
     * The network at some sizes after the calibration that will follow, fitted on {@code fitInputs}
     * (the resampled network itself without calibration).
     */
    private static Dl4jNetwork fitted(IntegralModel work, Map<String, Integer> sizes, CalibrationOptions calibration,
                                      INDArray fitInputs) {
        work.resize(sizes);
        return calibration == null ? work.dl4jNetwork()
                : Dl4jNetwork.of(Calibration.calibrate(work, fitInputs, calibration).network());
    }

    /** Rounds to the multiple (at least the multiple and 2); the full size stays as it is. */
    static int snap(int s, int multiple, int full) {
        int v = Math.max(multiple, (int) Math.round((double) s / multiple) * multiple);
        v = Math.max(2, v);
        return Math.min(v, full);
    }

    /** The next allowed size below {@code s} (multiples of m, at least {@code min}), or -1. */
    static int nextSmaller(int s, int multiple, int min) {
        int v = s % multiple == 0 ? s - multiple : (s / multiple) * multiple;
        return v >= Math.max(min, 2) ? v : -1;
    }

    private static void monotone(TreeMap<Integer, Double> curve) {
        double running = 0;
        for (Integer s : curve.descendingKeySet()) {
            running = Math.max(running, curve.get(s));
            curve.put(s, running);
        }
    }

    private static double value(TreeMap<Integer, Double> curve, int s) {
        Map.Entry<Integer, Double> lo = curve.floorEntry(s);
        Map.Entry<Integer, Double> hi = curve.ceilingEntry(s);
        if (lo == null) {
            return hi.getValue();
        }
        if (hi == null || lo.getKey().equals(hi.getKey())) {
            return lo.getValue();
        }
        double t = (double) (s - lo.getKey()) / (hi.getKey() - lo.getKey());
        return lo.getValue() + t * (hi.getValue() - lo.getValue());
    }
}
