package org.integral4j.convert.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.integral4j.convert.network.Dl4jNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How far a resized network's outputs are from the full network's, measured on inputs the
 * resized network was not calibrated on: the one score behind every choice made after calibration
 * (sizes for a budget, the grid-placement criterion).
 *
 * <p>{@link #distortion} is the mean KL divergence {@code KL(p_full || p)} over rows when the full
 * network's outputs are probability rows (non-negative, summing to 1), else the mean squared
 * difference per output. {@link #folds} splits the inputs into two halves for two-fold
 * cross-validation: calibrate on one half, score on the other, and the other way round;
 * {@link CrossValidation} does that for any way of fitting a network to a fold.
 */
public final class HeldOutScore {

    /** Inputs are split into two folds only when each half has at least this many. */
    public static final int MIN_HELD_OUT = 32;

    private HeldOutScore() {
    }

    /**
     * The folds as {@code {fit inputs, scoring inputs}}: the two halves, each way round, or all
     * inputs for both when fewer than {@code 2 * MIN_HELD_OUT}.
     *
     * @param inputs      the inputs {@code (n, ...)} (not modified)
     * @param scoringType the data type the scoring inputs are cast to (the network's)
     * @return one or two folds
     */
    public static List<INDArray[]> folds(INDArray inputs, DataType scoringType) {
        long n = inputs.size(0);
        if (n < 2 * MIN_HELD_OUT) {
            return List.<INDArray[]>of(new INDArray[] {inputs, inputs.castTo(scoringType)});
        }
        INDArray first = rows(inputs, 0, n / 2);
        INDArray second = rows(inputs, n / 2, n);
        return List.of(new INDArray[] {first, second.castTo(scoringType)},
                new INDArray[] {second, first.castTo(scoringType)});
    }

    /**
     * Two-fold cross-validation against a full network: the {@link #folds} of some inputs and the
     * full network's outputs on each fold's held-out inputs, computed once and shared by every
     * candidate scored.
     */
    public static final class CrossValidation {
        private final List<INDArray[]> folds;
        private final List<INDArray> references = new ArrayList<>();

        /**
         * Splits the inputs and runs the full network on the held-out halves.
         *
         * @param full   the full network (read now only)
         * @param inputs the inputs (not modified)
         * @param type   the data type the networks compute in
         */
        public CrossValidation(Dl4jNetwork full, INDArray inputs, DataType type) {
            this.folds = folds(inputs, type);
            for (INDArray[] fold : folds) {
                references.add(full.output(fold[1])[0].castTo(DataType.DOUBLE));
            }
        }

        /**
         * Scores one candidate.
         *
         * @param fit given a fold's fitting inputs, the network to score (e.g. calibrated on them)
         * @return per fold, the distortion of that network on the fold's held-out inputs
         */
        public List<Double> scores(Function<INDArray, Dl4jNetwork> fit) {
            List<Double> out = new ArrayList<>();
            for (int f = 0; f < folds.size(); f++) {
                out.add(distortion(fit.apply(folds.get(f)[0]), folds.get(f)[1], references.get(f)));
            }
            return out;
        }
    }

    /**
     * The distortion of a network's outputs against reference outputs on the same inputs.
     *
     * @param network   the network scored
     * @param inputs    the scoring inputs
     * @param reference the full network's outputs on them
     * @return see {@link #distortion(INDArray, INDArray)}
     */
    public static double distortion(Dl4jNetwork network, INDArray inputs, INDArray reference) {
        return distortion(reference.castTo(DataType.DOUBLE), network.output(inputs)[0].castTo(DataType.DOUBLE));
    }

    /**
     * Mean KL(p || q) for probability rows, else mean squared difference.
     *
     * @param p the reference outputs {@code (n, k)}
     * @param q the outputs compared {@code (n, k)}
     * @return the distortion (0 when equal)
     */
    public static double distortion(INDArray p, INDArray q) {
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

    /** Rows {@code [from, to)} of the first axis, copied. */
    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to)).dup();
    }
}
