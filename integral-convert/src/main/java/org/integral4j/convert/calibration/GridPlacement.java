package org.integral4j.convert.calibration;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Grid placement: the {@code n} grid points of a resized group are put on the knots of the
 * {@code n} most important full-size channels, so the resized integral network samples those
 * channels exactly (cubic convolution interpolates at a knot) instead of blends of neighbours.
 * The grid becomes trainable with free end points (grid tuning may move it further). Importance of
 * full channel {@code c} ({@link CalibrationOptions.PlacementCriterion}):
 * <ul>
 *   <li>{@code WEIGHTS}: the sum over the group's layers in the full-size export (batch norms
 *       folded, channels permuted) of the mean absolute weight that belongs to {@code c} (its
 *       output filter in producers, its input slice in consumers), as in the L1 baseline but on
 *       the folded weights, so a folded batch norm's scale counts;</li>
 *   <li>{@code ACTIVATIONS}: what the channel contributes to the layers that read it, measured on
 *       the calibration inputs. For every convolution or dense layer {@code l} reading the group
 *       in the full network, with input {@code x} and weight {@code W},
 *       {@code e_l(c) = E[x_c^2] * ||W_{:,c}||^2} (mean over inputs and positions; the weight norm
 *       over output channels and kernel positions; summed over a flatten block), the expected
 *       energy of channel {@code c}'s term in {@code l}'s pre-activation when inputs are
 *       uncorrelated; each layer's {@code e_l} is normalised to sum 1 and the layers are added.
 *       A group no such layer reads falls back to {@code WEIGHTS}.</li>
 * </ul>
 */
final class GridPlacement {

    private GridPlacement() {
    }

    /** The most inputs the activation criterion runs the full network on. */
    static final int MAX_ACTIVATION_INPUTS = 256;

    /**
     * Places the grids of every resized simple group of {@code work}.
     *
     * @param work      the model (modified: trainable grids)
     * @param full      the calibration subject at full size of the same model (its full network and links)
     * @param inputs    the calibration inputs (read by the activation criterion only)
     * @param criterion how channels are ranked
     * @return group name to the chosen full channels
     */
    static Map<String, int[]> place(IntegralModel work, CalibrationSubject full, INDArray inputs,
                                    CalibrationOptions.PlacementCriterion criterion) {
        Map<String, double[]> scores = weightScores(work, full);
        if (criterion == CalibrationOptions.PlacementCriterion.ACTIVATIONS) {
            activationScores(work, full, inputs).forEach(scores::put);
        }
        return placeBy(work, scores);
    }

    /** Importance by mean absolute folded weight, for every group. */
    private static Map<String, double[]> weightScores(IntegralModel work, CalibrationSubject full) {
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
        return scores;
    }

    /**
     * Importance by contribution energy to the reading layers (see the class comment), for the
     * groups some convolution or dense layer reads.
     */
    private static Map<String, double[]> activationScores(IntegralModel work, CalibrationSubject full,
                                                          INDArray inputs) {
        long n = Math.min(inputs.size(0), MAX_ACTIVATION_INPUTS);
        INDArray x = (n < inputs.size(0) ? inputs.get(NDArrayIndex.interval(0, n)) : inputs)
                .castTo(full.full().params().dataType());
        Map<String, INDArray> acts = full.full().activations(x);
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (LayerLink l : full.layers()) {
            if ((l.kind() != LayerLink.Kind.CONV2D && l.kind() != LayerLink.Kind.DENSE) || l.inGroup() == null
                    || !work.groupNames().contains(l.inGroup())) {
                continue;
            }
            Layer layer = full.full().layer(l.id());
            INDArray in = full.full().layerInput(l.id(), acts).castTo(DataType.DOUBLE);
            INDArray w = layer.getParam("W").castTo(DataType.DOUBLE);
            double[] meanSquare;
            double[] weightEnergy;
            if (l.kind() == LayerLink.Kind.CONV2D) {
                boolean nhwc = ((ConvolutionLayer) layer.conf().getLayer()).getCnn2dDataFormat() == CNN2DFormat.NHWC;
                meanSquare = in.mul(in).mean(nhwc ? new int[] {0, 1, 2} : new int[] {0, 2, 3}).toDoubleVector();
                weightEnergy = w.mul(w).sum(0, 2, 3).toDoubleVector();
            } else {
                INDArray rows = in.reshape(in.size(0), -1);
                meanSquare = rows.mul(rows).mean(0).toDoubleVector();
                weightEnergy = w.mul(w).sum(1).toDoubleVector();
            }
            int channels = work.fullSize(l.inGroup());
            if (meanSquare.length != weightEnergy.length || meanSquare.length % channels != 0) {
                continue;
            }
            double[] energy = new double[meanSquare.length];
            double total = 0;
            for (int i = 0; i < energy.length; i++) {
                energy[i] = meanSquare[i] * weightEnergy[i];
                total += energy[i];
            }
            if (total > 0) {
                add(scores.computeIfAbsent(l.inGroup(), g -> new double[channels]), energy,
                        energy.length / channels, 1 / total);
            }
        }
        return scores;
    }

    /** Puts each resized simple group's grid on the knots of its highest-scoring channels. */
    private static Map<String, int[]> placeBy(IntegralModel work, Map<String, double[]> scores) {
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
        add(score, perIndex, block, 1.0 / block);
    }

    /** Adds {@code scale} times the per-channel sums of per-index values ({@code block} consecutive indices per channel). */
    private static void add(double[] score, double[] perIndex, int block, double scale) {
        if (perIndex.length != score.length * block) {
            return;
        }
        for (int c = 0; c < score.length; c++) {
            double sum = 0;
            for (int q = 0; q < block; q++) {
                sum += perIndex[c * block + q];
            }
            score[c] += sum * scale;
        }
    }
}
