package org.integral4j.convert.budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.calibration.CalibrationInputs;
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
 * budget. The model is not modified ({@link IntegralModel#resizeToBudget} applies the sizes).
 */
public final class BudgetSearch {

    /** Fractions of the full size at which each group's distortion is measured. */
    public static final double[] PROBE_FRACTIONS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8};
    /** The most calibration inputs used to measure distortion. */
    public static final int MAX_PROBE_INPUTS = 256;

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
        Checks.requireNonNull("BudgetSearch", "model", model);
        Checks.requireNonNull("BudgetSearch", "budget", budget);
        CalibrationInputs.validate(model.dl4jNetwork(), inputs);
        long t0 = System.nanoTime();
        CostModel cost = model.costModel(inputTypes);
        IntegralModel work = model.copy();
        work.resize(1.0);
        long n = Math.min(inputs.size(0), MAX_PROBE_INPUTS);
        INDArray x = inputs.get(NDArrayIndex.interval(0, n)).dup()
                .castTo(work.network().params().dataType());
        INDArray reference = work.dl4jNetwork().output(x)[0].castTo(DataType.DOUBLE);
        Map<String, TreeMap<Integer, Double>> curves = curves(work, budget, x, reference);
        Map<String, List<double[]>> measured = new LinkedHashMap<>();
        curves.forEach((g, curve) -> {
            List<double[]> pts = new ArrayList<>();
            curve.forEach((s, d) -> pts.add(new double[] {s, d}));
            measured.put(g, pts);
        });
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String g : work.groupNames()) {
            sizes.put(g, work.fullSize(g));
        }
        double current = shrinkToBudget(cost, budget, curves, sizes);
        double fraction = current / cost.fullCost(budget.kind());
        LOG.info("budget {} of {}: sizes {} ({} of full) in {} s", budget.fraction(), budget.kind(), sizes,
                String.format("%.3f", fraction), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return new BudgetResult(budget, sizes, fraction, measured);
    }

    /**
     * Each group's distortion curve: the output distortion with that group alone at each probe
     * size (the others at full size), made non-increasing in the size.
     *
     * @param work      a copy of the model at full size (resized and restored)
     * @param budget    the budget (its multiple)
     * @param x         the probe inputs
     * @param reference the full-size outputs for {@code x}
     * @return group name to size to distortion, in network order
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
                curve.put(s, distortion(reference, work.dl4jNetwork().output(x)[0].castTo(DataType.DOUBLE)));
                work.resize(g, full);
            }
            monotone(curve);
            curves.put(g, curve);
        }
        return curves;
    }

    /**
     * Greedy shrinking: while the cost exceeds the budget, moves the group whose next smaller size
     * adds the least distortion per unit of cost saved.
     *
     * @param cost   the cost model
     * @param budget the budget
     * @param curves each group's distortion curve
     * @param sizes  the sizes, full at the start (modified: the result)
     * @return the cost of the final sizes
     * @throws IllegalArgumentException when even the smallest sizes exceed the budget
     */
    private static double shrinkToBudget(CostModel cost, Budget budget, Map<String, TreeMap<Integer, Double>> curves,
                                         Map<String, Integer> sizes) {
        double limit = budget.fraction() * cost.fullCost(budget.kind());
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
        return current;
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

    /** Mean KL(p || q) for probability rows, else mean squared difference. */
    static double distortion(INDArray p, INDArray q) {
        double[][] a = p.toDoubleMatrix();
        double[][] b = q.toDoubleMatrix();
        boolean probabilities = true;
        for (double[] row : a) {
            double s = 0;
            for (double v : row) {
                if (v < 0) {
                    probabilities = false;
                }
                s += v;
            }
            if (Math.abs(s - 1) > 1e-3) {
                probabilities = false;
            }
        }
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                if (probabilities) {
                    if (a[i][k] > 0) {
                        total += a[i][k] * (Math.log(a[i][k]) - Math.log(Math.max(b[i][k], 1e-12)));
                    }
                } else {
                    double d = a[i][k] - b[i][k];
                    total += d * d / a[i].length;
                }
            }
        }
        return total / a.length;
    }

}
