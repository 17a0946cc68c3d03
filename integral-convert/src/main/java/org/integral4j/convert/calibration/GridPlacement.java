package org.integral4j.convert.calibration;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Grid placement: the {@code n} grid points of a resized group are put on the knots of the
 * {@code n} most important full-size channels, so the resized integral network samples those
 * channels exactly (cubic convolution interpolates at a knot) instead of blends of neighbours.
 * Importance of full channel {@code c}: the sum over the group's layers in the full-size export
 * (batch norms folded, channels permuted) of the mean absolute weight that belongs to {@code c}
 * (its output filter in producers, its input slice in consumers), as in the L1 baseline but on the
 * folded weights, so a folded batch norm's scale counts. The grid becomes trainable with free end
 * points (grid tuning may move it further).
 */
final class GridPlacement {

    private GridPlacement() {
    }

    /**
     * Places the grids of every resized simple group of {@code work}.
     *
     * @param work the model (modified: trainable grids)
     * @param full the calibration subject at full size of the same model (its full network and links)
     * @return group name to the chosen full channels
     */
    static Map<String, int[]> place(IntegralModel work, CalibrationSubject full) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (String name : work.groupNames()) {
            scores.put(name, new double[work.fullSize(name)]);
        }
        for (LayerLink l : full.layers()) {
            if (l.kind() != LayerLink.Kind.CONV2D && l.kind() != LayerLink.Kind.DENSE) {
                continue;
            }
            Layer layer = full.full().layer(l.id());
            INDArray w = layer.getParam("W").castTo(DataType.DOUBLE);
            boolean conv = l.kind() == LayerLink.Kind.CONV2D;
            if (l.outGroup() != null && scores.containsKey(l.outGroup())) {
                int outAxis = conv ? 0 : 1;
                add(scores.get(l.outGroup()), meanAbs(w, outAxis), 1);
            }
            if (l.inGroup() != null && scores.containsKey(l.inGroup())) {
                int inAxis = conv ? 1 : 0;
                double[] per = meanAbs(w, inAxis);
                int channels = scores.get(l.inGroup()).length;
                if (per.length % channels == 0) {
                    add(scores.get(l.inGroup()), per, per.length / channels);
                }
            }
        }
        Map<String, int[]> chosen = new LinkedHashMap<>();
        for (String name : work.groupNames()) {
            ChannelGroup g = work.groups().get(name);
            int n = g.size();
            int full0 = g.fullSize();
            if (n >= full0 || g instanceof PartitionedChannelGroup) {
                continue;
            }
            double[] s = scores.get(name);
            Integer[] order = new Integer[full0];
            for (int i = 0; i < full0; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            int[] keep = new int[n];
            for (int i = 0; i < n; i++) {
                keep[i] = order[i];
            }
            Arrays.sort(keep);
            double[] points = new double[n];
            for (int i = 0; i < n; i++) {
                points[i] = -1 + 2.0 * keep[i] / (full0 - 1);
            }
            g.makeTrainable(TrainableGrid.Endpoints.FREE);
            g.trainableGrid().setInPlace(points);
            g.stepGridInPlace(new double[n]);
            chosen.put(name, keep);
        }
        return chosen;
    }

    /** Mean |x| over all axes but {@code axis}. */
    private static double[] meanAbs(INDArray w, int axis) {
        int[] others = new int[w.rank() - 1];
        for (int d = 0, k = 0; d < w.rank(); d++) {
            if (d != axis) {
                others[k++] = d;
            }
        }
        INDArray abs = Transforms.abs(w, true);
        return abs.mean(others).toDoubleVector();
    }

    /** Adds per-index values to per-channel scores, {@code block} consecutive indices per channel. */
    private static void add(double[] score, double[] perIndex, int block) {
        if (perIndex.length != score.length * block) {
            return;
        }
        for (int c = 0; c < score.length; c++) {
            double sum = 0;
            for (int q = 0; q < block; q++) {
                sum += perIndex[c * block + q];
            }
            score[c] += sum / block;
        }
    }
}
