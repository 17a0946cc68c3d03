package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.permutation.TspResult;
import org.junit.jupiter.api.Test;

/**
 * The one size contract of {@link IntegralModel}: ratios in (0, 1], sizes in [minimum, full size],
 * everything else (NaN, infinities, huge values) an {@link InvalidSizeException} that leaves the
 * model unchanged; the wrapper checks target sizes right after the analysis and finite parameters
 * before anything else.
 */
class ResizeContractTest {

    /** Groups of {@link Topologies#sequential()}: conv1.out 8, conv2.out 7, fc1.out 9. */
    private static IntegralModel model() {
        return IntegralWrapper.builder().permute(false).build().wrapModel(Topologies.sequential());
    }

    private static void assertRejected(IntegralModel inn, Runnable call, String... fragments) {
        Map<String, Integer> before = inn.sizes();
        InvalidSizeException e = assertThrows(InvalidSizeException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
        }
        assertEquals(before, inn.sizes(), "a rejected resize changes nothing");
    }

    @Test
    void ratiosOutsideTheUnitIntervalAreRejected() {
        IntegralModel inn = model();
        inn.resize(0.5);
        for (double r : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e9, Double.NaN, 1.5,
            1.0000001, 0.0, -0.0, -1.0, -1e-300}) {
            assertRejected(inn, () -> inn.resize(r), "(0, 1]", "got " + r);
        }
        assertThrows(InvalidSizeException.class, () -> TargetSizes.builder().ratio(Double.NaN));
    }

    @Test
    void ratiosInsideTheIntervalGiveSizesBetweenTheMinimumAndTheFullSize() {
        IntegralModel inn = model();
        inn.resize(1.0);
        assertEquals(Map.of("conv1.out", 8, "conv2.out", 7, "fc1.out", 9), inn.sizes());
        inn.resize(Double.MIN_VALUE);
        assertEquals(Map.of("conv1.out", 2, "conv2.out", 2, "fc1.out", 2), inn.sizes());
        inn.resize(0.5);
        // round(0.5 * 7) = 4 (half up), round(4.5) = 5
        assertEquals(Map.of("conv1.out", 4, "conv2.out", 4, "fc1.out", 5), inn.sizes());
        inn.resize(Math.nextDown(1.0));
        assertEquals(Map.of("conv1.out", 8, "conv2.out", 7, "fc1.out", 9), inn.sizes());
    }

    @Test
    void sizesOutsideTheGroupsRangeAreRejected() {
        IntegralModel inn = model();
        assertEquals(2, inn.minimumSize("conv1.out"));
        assertEquals(8, inn.fullSize("conv1.out"));
        for (int size : new int[] {0, 1, -1, 9, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertRejected(inn, () -> inn.resize("conv1.out", size), "group 'conv1.out' takes 2 to 8 channels",
                    "got " + size);
        }
        InvalidSizeException grow = assertThrows(InvalidSizeException.class, () -> inn.resize("conv1.out", 1000));
        assertEquals("conv1.out", grow.group());
        assertTrue(grow.getMessage().contains("cannot grow"), grow.getMessage());
        assertRejected(inn, () -> inn.resize("conv9.out", 4), "unknown group 'conv9.out'", "conv1.out (2..8)",
                "fc1.out (2..9)");
        inn.resize("conv1.out", 2);
        inn.resize("conv1.out", 8);
        assertEquals(8, inn.size("conv1.out"));
    }

    @Test
    void aMultiGroupResizeIsAllOrNothing() {
        IntegralModel inn = model();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("conv1.out", 3);
        sizes.put("conv2.out", 70);
        assertRejected(inn, () -> inn.resize(sizes), "conv2.out", "got 70");
        assertEquals(8, inn.size("conv1.out"), "the valid entry was not applied either");
        sizes.put("conv2.out", 5);
        inn.resize(sizes);
        assertEquals(Map.of("conv1.out", 3, "conv2.out", 5, "fc1.out", 9), inn.sizes());
        // named sizes override the ratio for their group
        inn.resize(TargetSizes.builder().ratio(0.25).size("fc1.out", 7).build());
        assertEquals(Map.of("conv1.out", 2, "conv2.out", 2, "fc1.out", 7), inn.sizes());
        assertThrows(IllegalArgumentException.class, () -> TargetSizes.builder().size("a", 2).size("a", 3));
    }

    @Test
    void partitionedGroupsKeepMultiplesOfTheirBlocks() {
        SizeRules.Range r = new SizeRules.Range("g", 12, 3);
        assertEquals(6, r.minimum());
        assertEquals(6, r.sizeAt(0.5));
        assertEquals(6, r.sizeAt(1e-9));
        assertEquals(9, r.sizeAt(0.75));
        assertEquals(12, r.sizeAt(1.0));
        r.check(9);
        InvalidSizeException notMultiple = assertThrows(InvalidSizeException.class, () -> r.check(8));
        assertTrue(notMultiple.getMessage().contains("multiple of 3"), notMultiple.getMessage());
        assertThrows(InvalidSizeException.class, () -> r.check(3));
        assertThrows(InvalidSizeException.class, () -> r.check(15));
        assertThrows(InvalidSizeException.class, () -> r.check(99_999_999_999L));
    }

    /** Records the conversion phases it is told about. */
    private static final class Phases implements ConversionListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void phaseDone(String phase, double millis) {
            seen.add(phase);
        }

        @Override
        public void groupPermuted(String group, int index, int total, TspResult result) {
            seen.add("permuted " + group);
        }
    }

    @Test
    void targetSizesAreCheckedRightAfterTheAnalysisAndApplied() {
        Phases phases = new Phases();
        InvalidSizeException unknown = assertThrows(InvalidSizeException.class, () -> IntegralWrapper.builder()
                .listener(phases).targetSizes(TargetSizes.builder().size("fc9.out", 4).build()).build()
                .wrapModel(Topologies.sequential()));
        assertTrue(unknown.getMessage().contains("unknown group 'fc9.out'"), unknown.getMessage());
        InvalidSizeException tooBig = assertThrows(InvalidSizeException.class, () -> IntegralWrapper.builder()
                .listener(phases).targetSizes(TargetSizes.builder().ratio(0.5).size("conv2.out", 8).build()).build()
                .wrapModel(Topologies.sequential()));
        assertTrue(tooBig.getMessage().contains("takes 2 to 7"), tooBig.getMessage());
        assertEquals(List.of(), phases.seen, "no phase ran: neither permutation nor folding");

        IntegralModel inn = IntegralWrapper.builder().listener(phases)
                .targetSizes(TargetSizes.builder().ratio(0.5).size("conv2.out", 6).build()).build()
                .wrapModel(Topologies.sequential());
        assertEquals(Map.of("conv1.out", 4, "conv2.out", 6, "fc1.out", 5), inn.sizes());
        assertTrue(phases.seen.contains("permutation"), phases.seen.toString());
    }

    @Test
    void nonFiniteParametersAreReportedBeforeAnyOtherStep() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            MultiLayerNetwork net = Topologies.sequential();
            net.getLayer(4).getParam("W").putScalar(new long[] {1, 2, 0, 1}, bad);
            Phases phases = new Phases();
            NonFiniteParameterException e = assertThrows(NonFiniteParameterException.class,
                    () -> IntegralWrapper.builder().listener(phases).build().wrapModel(net));
            assertEquals("conv2", e.layer());
            assertEquals("W", e.parameter());
            assertEquals(Double.isNaN(bad) ? 1 : 0, e.nanCount());
            assertEquals(Double.isNaN(bad) ? 0 : 1, e.infiniteCount());
            assertTrue(e.getMessage().contains("layer 'conv2', parameter 'W'") && e.getMessage().contains("[7, 8, 3, 3]")
                    && e.getMessage().contains("flat index 91"), e.getMessage());
            assertEquals(List.of(), phases.seen, "raised before the analysis");
        }
        ComputationGraph graph = Topologies.resnet();
        String bn = null;
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            if (l.paramTable().containsKey("mean")) {
                bn = l.conf().getLayer().getLayerName();
                l.getParam("mean").putScalar(0, Double.NEGATIVE_INFINITY);
                break;
            }
        }
        assertTrue(bn != null, "the ResNet has a batch norm");
        String bnName = bn;
        NonFiniteParameterException e = assertThrows(NonFiniteParameterException.class,
                () -> IntegralWrapper.builder().build().wrapModel(graph));
        assertEquals(bnName, e.layer());
        assertEquals("mean", e.parameter());
    }
}
