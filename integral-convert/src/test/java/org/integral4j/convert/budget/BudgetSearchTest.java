package org.integral4j.convert.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.calibration.Calibration;
import org.integral4j.convert.calibration.CalibrationOptions;
import org.integral4j.convert.calibration.CalibrationTestNets;
import org.integral4j.convert.calibration.HeldOutScore;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Budgets: the cost model against the exported networks' counts, and the search. */
class BudgetSearchTest {

    @Test
    void costModelEqualsTheExportedNetworksCounts() {
        for (Model src : new Model[] {CalibrationTestNets.sequential(), CalibrationTestNets.graph()}) {
            InputType type = CalibrationTestNets.inputType(src);
            IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
            CostModel cost = inn.costModel(type);
            Random rng = new Random(3);
            for (int trial = 0; trial < 4; trial++) {
                for (String g : inn.groupNames()) {
                    inn.resize(g, 2 + rng.nextInt(inn.fullSize(g) - 1));
                }
                CompressionMetrics m = inn.metrics(type);
                assertEquals(m.macsCurrent(), cost.cost(Budget.Kind.MACS, inn.sizes()), 1e-6 * m.macsCurrent(),
                        "MACs at " + inn.sizes());
                assertEquals(m.paramsCurrent(), cost.cost(Budget.Kind.PARAMS, inn.sizes()), 1e-6,
                        "parameters at " + inn.sizes());
                assertEquals(m.macsFull(), cost.fullCost(Budget.Kind.MACS), 1e-6 * m.macsFull());
            }
        }
    }

    @Test
    void searchStaysWithinTheBudgetOnTheMultipleAndResizesTheModel() {
        Model src = CalibrationTestNets.graph();
        InputType type = CalibrationTestNets.inputType(src);
        INDArray x = CalibrationTestNets.inputsFor(src, 4, 32);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        Map<String, Integer> before = new LinkedHashMap<>(inn.sizes());
        BudgetResult r = BudgetSearch.search(inn, Budget.macs(0.5).multipleOf(2), x, type);
        assertEquals(before, inn.sizes(), "search must not resize the model");
        assertTrue(r.costFraction() <= 0.5 + 1e-12, "cost " + r.costFraction());
        r.sizes().forEach((g, s) -> assertTrue(s % 2 == 0 || s == inn.fullSize(g), g + "=" + s));
        assertTrue(r.sensitivity().values().stream().allMatch(pts -> pts.size() >= 2));
        BudgetResult applied = inn.resizeToBudget(Budget.params(0.6), x, type);
        assertEquals(applied.sizes(), inn.sizes());
        CompressionMetrics m = inn.metrics(type);
        assertTrue(m.paramRatio() <= 0.6 + 1e-12, m.toString());
        assertEquals(m.paramRatio(), applied.costFraction(), 1e-9);
    }

    @Test
    void theChosenSizesScoreNoWorseThanTheUniformWidthAtTheSameCostAfterCalibration() {
        for (Model src : new Model[] {CalibrationTestNets.sequential(), CalibrationTestNets.graph()}) {
            InputType type = CalibrationTestNets.inputType(src);
            INDArray x = CalibrationTestNets.inputsFor(src, 6, 64);
            IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
            inn.resize(0.5);
            double uniformMacs = inn.metrics(type).macRatio();
            Map<String, Integer> uniformSizes = new LinkedHashMap<>(inn.sizes());
            inn.resize(1.0);
            CalibrationOptions cal = CalibrationOptions.builder().seed(3).build();
            BudgetResult r = BudgetSearch.search(inn, Budget.macs(uniformMacs), x, cal, type);
            assertTrue(r.costFraction() <= uniformMacs + 1e-12, r.costFraction() + " <= " + uniformMacs);
            BudgetResult.Candidate uniform = r.candidate("uniform").orElseThrow(() -> new AssertionError(
                    "the uniform width is compared: " + r.candidates()));
            r.candidates().forEach(c -> assertTrue(c.costFraction() <= uniformMacs + 1e-12, c.toString()));
            uniform.sizes().forEach((g, s) -> assertTrue(s >= uniformSizes.get(g), "the uniform candidate is the"
                    + " largest uniform width within the budget: " + uniform.sizes() + " vs " + uniformSizes));
            BudgetResult.Candidate chosen = r.candidate(r.chosen()).orElseThrow();
            assertEquals(r.sizes(), chosen.sizes());
            assertTrue(chosen.objective() <= uniform.objective(), r.candidates().toString());
            boolean keptUniform = chosen.name().equals("uniform");
            r.candidates().forEach(c -> assertEquals(2, c.foldScores().size(), "two folds: " + c));
            for (BudgetResult.Candidate c : r.candidates()) {
                boolean better = true;
                for (int f = 0; f < 2; f++) {
                    better &= c.foldScores().get(f) <= (1 - BudgetSearch.MARGIN) * uniform.foldScores().get(f);
                }
                if (keptUniform) {
                    assertTrue(c == uniform || !better, "no candidate beat the uniform width by the margin in"
                            + " both folds: " + r.candidates());
                } else if (c == chosen) {
                    assertTrue(better, "the chosen candidate beats the uniform width by the margin in both folds: "
                            + r.candidates());
                } else {
                    assertTrue(c.objective() >= chosen.objective(), "the lowest mean wins: " + r.candidates());
                }
            }

            // the fold scores, recomputed independently: calibrate on one half, score on the other
            INDArray first = x.get(NDArrayIndex.interval(0, 32)).dup();
            INDArray second = x.get(NDArrayIndex.interval(32, 64)).dup();
            IntegralModel full = inn.copy();
            int k = 0;
            for (Map<String, Integer> sizes : List.of(r.sizes(), uniform.sizes())) {
                BudgetResult.Candidate candidate = k++ == 0 ? chosen : uniform;
                int f = 0;
                for (INDArray[] fold : List.of(new INDArray[] {first, second}, new INDArray[] {second, first})) {
                    INDArray reference = full.dl4jNetwork().output(fold[1])[0];
                    IntegralModel m = inn.copy();
                    m.resize(sizes);
                    Model calibrated = Calibration.calibrate(m, fold[0], cal).network();
                    double score = HeldOutScore.distortion(reference.castTo(DataType.DOUBLE),
                            Dl4jNetwork.of(calibrated).output(fold[1])[0].castTo(DataType.DOUBLE));
                    assertEquals(candidate.foldScores().get(f), score, 1e-9 + 1e-6 * score,
                            candidate.name() + " fold " + f);
                    f++;
                }
            }
        }
    }

    @Test
    void anotherCandidateMustBeatTheUniformWidthByTheMarginInEveryFold() {
        Map<String, Integer> sizes = Map.of("g", 4);
        BudgetResult.Candidate uniform = new BudgetResult.Candidate("uniform", sizes, 0.5, List.of(1.0, 1.0));
        // 40% lower on average, but only 5% lower on the second half: not taken
        BudgetResult.Candidate oneFold = new BudgetResult.Candidate("greedy", sizes, 0.5, List.of(0.25, 0.95));
        assertEquals(0.6, oneFold.objective(), 1e-12);
        assertFalse(BudgetSearch.winsByTheMargin(oneFold, uniform));
        BudgetResult.Candidate both = new BudgetResult.Candidate("greedy", sizes, 0.5, List.of(0.85, 0.9));
        assertTrue(BudgetSearch.winsByTheMargin(both, uniform));
        BudgetResult.Candidate unscored = new BudgetResult.Candidate("greedy", sizes, 0.5, List.of());
        assertTrue(Double.isNaN(unscored.objective()));
    }

    @Test
    void anUnreachableBudgetIsAClearError() {
        Model src = CalibrationTestNets.sequential();
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BudgetSearch.search(inn, Budget.params(0.01), CalibrationTestNets.inputsFor(src, 1, 8),
                        CalibrationTestNets.inputType(src)));
        assertTrue(e.getMessage().contains("cannot be met"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Budget.macs(0));
        assertThrows(IllegalArgumentException.class, () -> Budget.macs(0.5).multipleOf(0));
    }

    @Test
    void snappingAndSteps() {
        assertEquals(8, BudgetSearch.snap(9, 4, 30));
        assertEquals(4, BudgetSearch.snap(1, 4, 30));
        assertEquals(30, BudgetSearch.snap(31, 4, 30));
        assertEquals(28, BudgetSearch.nextSmaller(30, 4, 2));
        assertEquals(24, BudgetSearch.nextSmaller(28, 4, 2));
        assertEquals(-1, BudgetSearch.nextSmaller(4, 4, 4));
        assertEquals(2, BudgetSearch.nextSmaller(3, 1, 2));
    }
}
