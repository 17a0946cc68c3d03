package org.integral4j.convert.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Calibration of integral models and of the L1 baseline on small double-precision networks. */
class CalibrationTest {

    private static INDArray output(Model net, INDArray x) {
        return Dl4jNetwork.of(net).output(x)[0];
    }


    private static INDArray inputsFor(Model net, long seed, int n) {
        return net instanceof ComputationGraph ? CalibrationNets.inputs(seed, n, 3, 8, 8)
                : CalibrationNets.inputs(seed, n, 2, 10, 10);
    }

    private static double maxRelDiff(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / Math.max(1e-300, a.norm2Number().doubleValue());
    }

    /** Mean KL(p || q) over rows of probabilities. */
    static double kl(INDArray p, INDArray q) {
        double[][] a = p.toDoubleMatrix();
        double[][] b = q.toDoubleMatrix();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                s += a[i][k] * (Math.log(a[i][k]) - Math.log(b[i][k]));
            }
        }
        return s / a.length;
    }

    @Test
    void calibrationReducesTheDistanceToTheFullNetworkOnBothTopologies() {
        for (Model src : new Model[] {CalibrationNets.sequential(), CalibrationNets.graph()}) {
            INDArray x = inputsFor(src, 3, 64);
            INDArray heldOut = inputsFor(src, 4, 64);
            IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
            inn.resize(0.5);
            INDArray full = output(src, heldOut);
            double raw = kl(full, output(inn.network(), heldOut));
            CalibratedNetwork c = inn.calibrate(x, CalibrationOptions.defaults());
            double calibrated = kl(full, output(c.network(), heldOut));
            assertTrue(calibrated < 0.5 * raw, src.getClass().getSimpleName() + ": KL " + raw + " -> " + calibrated);
            for (LayerReport r : c.layers()) {
                if (r.step().equals("least squares")) {
                    assertTrue(r.residualAfter() <= r.residualBefore() + 1e-9, r.toString());
                }
            }
            L1ChannelPruner l1 = L1ChannelPruner.builder().build();
            Map<String, Integer> sizes = l1.uniformSizes(src, 0.5);
            double l1Raw = kl(full, output(l1.prune(src, sizes), heldOut));
            CalibratedNetwork lc = Calibration.calibrateL1(l1, src, sizes, x, CalibrationOptions.defaults());
            double l1Cal = kl(full, output(lc.network(), heldOut));
            assertTrue(l1Cal < 0.5 * l1Raw, "L1: KL " + l1Raw + " -> " + l1Cal);
        }
    }

    @Test
    void fullSizeIsNeverChangedAndSourceAndModelAreNotModified() {
        for (Model src : new Model[] {CalibrationNets.sequential(), CalibrationNets.graph()}) {
            INDArray srcParams = src.params().dup();
            INDArray x = inputsFor(src, 5, 32);
            INDArray ref = output(src, x);
            IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
            INDArray innParams = inn.network().params().dup();
            // at full size calibration is the identity
            CalibrationOptions tuned = CalibrationOptions.builder().gridTuning(true).tuning(1, 16, 1e-2).build();
            CalibratedNetwork atFull = inn.calibrate(x, tuned);
            assertTrue(atFull.layers().isEmpty());
            double atFullDiff = maxRelDiff(ref, output(atFull.network(), x));
            assertTrue(atFullDiff < 1e-12, "full-size calibration changed the output by " + atFullDiff);
            inn.resize(0.5);
            inn.calibrate(x, tuned);
            Calibration.calibrateL1(L1ChannelPruner.builder().build(), src,
                    L1ChannelPruner.builder().build().uniformSizes(src, 0.5), x, CalibrationOptions.defaults());
            assertEquals(srcParams, src.params(), "source network modified");
            assertEquals(innParams, inn.network().params(), "integral network modified");
            assertTrue(inn.calibration().isPresent());
            inn.resize(1.0);
            assertFalse(inn.calibration().isPresent(), "a resize must invalidate the calibration");
            double back = maxRelDiff(ref, output(inn.network(), x));
            assertTrue(back < 1e-12, "integral network back at full size differs by " + back);
            double export = maxRelDiff(ref, output(inn.toDiscrete(), x));
            assertTrue(export < 1e-12, "export back at full size differs by " + export);
        }
    }

    @Test
    void toDiscreteReturnsTheCalibratedNetworkUntilTheSizesChange() {
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = inputsFor(src, 6, 48);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        INDArray uncalibrated = output(inn.toDiscrete(), x);
        CalibratedNetwork c = inn.calibrate(x);
        assertEquals(output(c.network(), x), output(inn.toDiscrete(), x));
        assertNotEquals(uncalibrated, output(inn.toDiscrete(), x));
        inn.resize("layer4.out", 4);
        assertFalse(inn.calibration().isPresent());
    }

    @Test
    void sameSeedGivesTheSameNetworkAndAnotherSeedAnotherSample() {
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = inputsFor(src, 7, 32);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        CalibrationOptions o = CalibrationOptions.builder().maxRowsPerLayer(200).gridTuning(true).tuning(1, 16, 1e-3)
                .seed(3).build();
        INDArray a = inn.calibrate(x, o).network().params();
        INDArray b = inn.calibrate(x, o).network().params();
        INDArray c = inn.calibrate(x, o.toBuilder().seed(4).build()).network().params();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void iteratorInputsIgnoreLabels() {
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = inputsFor(src, 8, 40);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        DataSet ds = new DataSet(x, Nd4j.zeros(40, 4));
        INDArray viaIterator = inn.calibrate(new SingletonDataSetIterator(ds),
                CalibrationOptions.builder().maxInputs(40).build()).network().params();
        assertEquals(inn.calibrate(x, CalibrationOptions.defaults()).network().params(), viaIterator);
    }

    @Test
    void badInputsGiveClearErrors() {
        MultiLayerNetwork src = CalibrationNets.sequential();
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> inn.calibrate(CalibrationNets.inputs(1, 8, 3, 10, 10)));
        assertTrue(shape.getMessage().contains("[8, 3, 10, 10]"), shape.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> Calibration.calibrateL1(L1ChannelPruner.builder().build(), src, Map.of(),
                        CalibrationNets.inputs(1, 8, 200), CalibrationOptions.defaults()));
        assertTrue(flat.getMessage().contains("reads (n, 2, height, width)"), flat.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> inn.calibrate(Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 0, 2, 10, 10)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        INDArray nan = CalibrationNets.inputs(1, 8, 2, 10, 10);
        nan.putScalar(new long[] {5, 1, 2, 3}, Double.NaN);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> inn.calibrate(nan));
        assertTrue(bad.getMessage().contains("non-finite") && bad.getMessage().contains("example 5"),
                bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> inn.calibrate((INDArray) null));
    }

    @Test
    void batchNormOutputsMatchTheTargetStatistics() {
        // L1 selection keeps batch norms explicit: after re-estimation each kept channel's batch-norm
        // output has the mean and standard deviation of the same channel in the full network.
        ComputationGraph src = CalibrationNets.graph();
        INDArray x = inputsFor(src, 9, 128);
        L1ChannelPruner l1 = L1ChannelPruner.builder().build();
        CalibrationSubject s = l1.calibrationSubject(src, l1.uniformSizes(src, 0.5));
        CalibratedNetwork c = Calibration.calibrate(s, x,
                CalibrationOptions.builder().reconstruction(false).build());
        INDArray got = ((ComputationGraph) c.network()).feedForward(x, false).get("c1_bn");
        INDArray want = src.feedForward(x, false).get("c1_bn");
        double[][] t = s.targetMaps().get(groupOf(s, "c1_bn"));
        for (int k = 0; k < t.length; k++) {
            int fullChannel = argmax(t[k]);
            INDArray g = got.get(NDArrayIndex.all(),
                    NDArrayIndex.point(k));
            INDArray w = want.get(NDArrayIndex.all(),
                    NDArrayIndex.point(fullChannel));
            assertEquals(w.meanNumber().doubleValue(), g.meanNumber().doubleValue(), 1e-6);
            assertEquals(w.stdNumber().doubleValue(), g.stdNumber().doubleValue(),
                    1e-3 * w.stdNumber().doubleValue() + 1e-6);
        }
    }

    @Test
    void gridPlacementSamplesWholeChannels() {
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = inputsFor(src, 10, 48);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        IntegralModel work = inn.copy();
        Map<String, int[]> chosen = GridPlacement.place(work, inn.calibrationSubject(), x,
                CalibrationOptions.PlacementCriterion.WEIGHTS);
        assertEquals(inn.groupNames(), List.copyOf(chosen.keySet()));
        CalibrationSubject s = work.calibrationSubject();
        for (Map.Entry<String, int[]> e : chosen.entrySet()) {
            double[][] t = s.targetMaps().get(e.getKey());
            for (int i = 0; i < t.length; i++) {
                for (int j = 0; j < t[i].length; j++) {
                    assertEquals(j == e.getValue()[i] ? 1.0 : 0.0, t[i][j], 1e-9, e.getKey() + " row " + i);
                }
            }
        }
        // the first layer samples the chosen filters of the full network exactly
        INDArray fullW = s.full().layer("layer0").getParam("W");
        INDArray w = s.reduced().layer("layer0").getParam("W");
        int[] keep = chosen.get("layer0.out");
        for (int i = 0; i < keep.length; i++) {
            assertEquals(fullW.slice(keep[i]), w.slice(i));
        }
        CalibratedNetwork c = inn.calibrate(x, CalibrationOptions.builder().gridPlacement(true).build());
        assertTrue(c.timings().containsKey("grid placement"));
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationOptions.builder().gridPlacement(true).gridTuning(true).build());
    }

    @Test
    void activationPlacementKeepsTheChannelsWithTheMostContributionEnergy() {
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = inputsFor(src, 11, 40);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        Map<String, int[]> chosen = GridPlacement.place(inn.copy(), inn.calibrationSubject(), x,
                CalibrationOptions.PlacementCriterion.ACTIVATIONS);
        // recomputed from the full export's activations: E[x_c^2] * ||W[:, c]||^2 of the reading layer
        CalibrationSubject subject = inn.calibrationSubject();
        MultiLayerNetwork full = (MultiLayerNetwork) subject.full().model();
        List<INDArray> acts = full.feedForward(x, false);
        List<String[]> readers = new ArrayList<>();
        for (LayerLink l : subject.layers()) {
            if ((l.kind() == LayerLink.Kind.CONV2D || l.kind() == LayerLink.Kind.DENSE) && l.inGroup() != null
                    && inn.groupNames().contains(l.inGroup())) {
                readers.add(new String[] {l.inGroup(), String.valueOf(subject.full().layer(l.id()).getIndex())});
            }
        }
        assertTrue(readers.size() >= 2, "a convolution and a dense layer read resized groups: " + subject.layers());
        for (String[] r : readers) {
            int layer = Integer.parseInt(r[1]);
            INDArray in = acts.get(layer).reshape(acts.get(layer).size(0), -1);
            INDArray w = full.getLayer(layer).getParam("W");
            boolean conv = w.rank() == 4;
            int channels = inn.fullSize(r[0]);
            double[] energy = new double[channels];
            if (conv) {
                INDArray a = acts.get(layer);
                double[] ms = a.mul(a).mean(0, 2, 3).toDoubleVector();
                double[] we = w.mul(w).sum(0, 2, 3).toDoubleVector();
                for (int c = 0; c < channels; c++) {
                    energy[c] = ms[c] * we[c];
                }
            } else {
                double[] ms = in.mul(in).mean(0).toDoubleVector();
                double[] we = w.mul(w).sum(1).toDoubleVector();
                int block = ms.length / channels;
                for (int i = 0; i < ms.length; i++) {
                    energy[i / block] += ms[i] * we[i];
                }
            }
            Integer[] order = new Integer[channels];
            for (int c = 0; c < channels; c++) {
                order[c] = c;
            }
            Arrays.sort(order, (a, b) -> Double.compare(energy[b], energy[a]));
            int n = inn.size(r[0]);
            int[] want = new int[n];
            for (int i = 0; i < n; i++) {
                want[i] = order[i];
            }
            Arrays.sort(want);
            assertArrayEquals(want, chosen.get(r[0]), r[0] + " energies " + Arrays.toString(energy));
        }
        CalibratedNetwork c = inn.calibrate(x, CalibrationOptions.builder().gridPlacement(true)
                .placementCriterion(CalibrationOptions.PlacementCriterion.ACTIVATIONS).build());
        assertEquals("aplace+bn+ls", c.options().label());
        assertEquals(inn.calibrate(x, c.options()).network().params(), c.network().params(), "same seed, same result");
    }

    @Test
    void bestPlacementUsesTheCriterionWithTheLowerHeldOutDistortion() {
        ComputationGraph src = CalibrationNets.graph();
        INDArray x = inputsFor(src, 12, 80);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        CalibrationOptions base = CalibrationOptions.builder().seed(5).gridPlacement(true).build();
        CalibrationOptions plain = base.toBuilder().gridPlacement(false).build();
        // each criterion scored independently: place on one half, calibrate on it, score on the other
        IntegralModel full = inn.copy();
        full.resize(1.0);
        INDArray first = x.get(NDArrayIndex.interval(0, 40)).dup();
        INDArray second = x.get(NDArrayIndex.interval(40, 80)).dup();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (CalibrationOptions.PlacementCriterion c : Arrays.asList(null,
                CalibrationOptions.PlacementCriterion.WEIGHTS, CalibrationOptions.PlacementCriterion.ACTIVATIONS)) {
            double score = 0;
            for (INDArray[] fold : List.of(new INDArray[] {first, second}, new INDArray[] {second, first})) {
                IntegralModel placed = inn.copy();
                if (c != null) {
                    GridPlacement.place(placed, inn.calibrationSubject(), fold[0], c);
                }
                Model calibrated = Calibration.calibrate(placed, fold[0], plain).network();
                score += 0.5 * HeldOutScore.distortion(full.dl4jNetwork().output(fold[1])[0],
                        Dl4jNetwork.of(calibrated).output(fold[1])[0]);
            }
            scores.put(String.valueOf(c), score);
        }
        String winner = scores.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        INDArray innParams = inn.network().params().dup();
        Map<String, Integer> sizes = new LinkedHashMap<>(inn.sizes());
        CalibratedNetwork best = inn.calibrate(x, base.toBuilder()
                .placementCriterion(CalibrationOptions.PlacementCriterion.BEST).build());
        assertEquals(innParams, inn.network().params(), "integral network modified");
        assertEquals(sizes, inn.sizes(), "sizes changed");
        assertTrue(inn.groups().all().stream().noneMatch(g -> g.isTrainable()), "the model's grids were placed");
        CalibratedNetwork direct = winner.equals("null") ? inn.calibrate(x, plain)
                : inn.calibrate(x, base.toBuilder().placementCriterion(
                        CalibrationOptions.PlacementCriterion.valueOf(winner)).build());
        assertEquals(direct.network().params(), best.network().params(), "BEST = " + winner + " " + scores);
        assertEquals("bplace+bn+ls", best.options().label());
    }

    private static String groupOf(CalibrationSubject s, String layer) {
        return s.layers().stream().filter(l -> l.id().equals(layer)).findFirst().orElseThrow().outGroup();
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
