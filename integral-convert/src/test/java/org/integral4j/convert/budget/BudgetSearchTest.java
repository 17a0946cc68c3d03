package org.integral4j.convert.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.calibration.CalibrationTestNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

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
