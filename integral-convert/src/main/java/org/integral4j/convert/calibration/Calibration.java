package org.integral4j.convert.calibration;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calibration of a resized network on unlabeled inputs, without gradient training of the weights
 * (steps and formulas: {@link CalibrationOptions}).
 *
 * <p><b>Targets.</b> Every refitted or corrected layer is made to reproduce the pre-activations
 * (bias included) that the <em>full</em> network computes on the same inputs, mapped to the
 * resized channels by the group's map {@code T} ({@link CalibrationSubject}): for an integral
 * model the cubic-convolution interpolation of the full pre-activations along the channel axis at
 * the group's grid points, for channel selection the selected channels. The inputs of each layer
 * come from the resized network with every earlier layer already calibrated, so errors do not
 * accumulate.
 *
 * <p><b>Where the result lives.</b> Calibration works on the plain network exported at the current
 * sizes and returns it ({@link CalibratedNetwork}); it never modifies the integral model, its
 * integral network or the source network, so the model at full size is exactly what it was.
 * {@link IntegralModel#calibrate} records the result, and {@link IntegralModel#toDiscrete()}
 * returns (a copy of) it as long as the model's sizes, grids and parameters are unchanged; a
 * resize invalidates it. Reproducible: the sampled rows and the tuning order come from
 * {@link CalibrationOptions#seed()}.
 */
public final class Calibration {

    private static final Logger LOG = LoggerFactory.getLogger(Calibration.class);

    private Calibration() {
    }

    /**
     * Calibrates an integral model at its current sizes. The model is not modified.
     *
     * @param model   the integral model, resized
     * @param inputs  unlabeled inputs {@code (n, ...)} as the network reads them (not modified)
     * @param options the steps
     * @return the calibrated plain network
     */
    public static CalibratedNetwork calibrate(IntegralModel model, INDArray inputs, CalibrationOptions options) {
        Checks.requireNonNull("Calibration", "model", model);
        Checks.requireNonNull("Calibration", "options", options);
        CalibrationInputs.validate(model.dl4jNetwork(), inputs);
        Map<String, Double> timings = new LinkedHashMap<>();
        IntegralModel work = model;
        long t0 = System.nanoTime();
        boolean fullSize = model.groupNames().stream().allMatch(g -> model.size(g) == model.fullSize(g))
                && model.groups().all().stream().noneMatch(g -> g.isTrainable());
        if (options.gridTuning() && !fullSize) {
            IntegralModel full = model.copy();
            full.resize(1.0);
            INDArray targets = full.dl4jNetwork().output(inputs)[0];
            work = model.copy();
            double loss = GridTuner.tune(work, inputs, targets, options);
            LOG.info("grid tuning: distillation loss {} after {} epoch(s)", String.format("%.4g", loss),
                    options.tuningEpochs());
            timings.put("grid tuning", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
        }
        if (options.gridPlacement() && !fullSize) {
            CalibrationOptions.PlacementCriterion criterion = options.placementCriterion();
            if (criterion == CalibrationOptions.PlacementCriterion.BEST) {
                criterion = bestPlacement(model, inputs, options);
            }
            if (criterion != null) {
                work = model.copy();
                Map<String, int[]> chosen = GridPlacement.place(work, model.calibrationSubject(), inputs, criterion);
                LOG.info("grid placement by {}: groups {}", criterion, chosen.keySet());
            }
            timings.put("grid placement", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
        }
        CalibrationSubject subject = work.calibrationSubject();
        timings.put("export", (System.nanoTime() - t0) / 1e9);
        return finish(subject, inputs, options, timings);
    }

    /**
     * The placement whose calibrated network is closer to the full one: the grids as they are
     * (null) or placed by either criterion. Each candidate is placed on one fold's inputs,
     * calibrated (without placement) on them and scored on the other fold ({@link HeldOutScore});
     * the lowest mean score wins, in that order on a tie.
     */
    private static CalibrationOptions.PlacementCriterion bestPlacement(IntegralModel model, INDArray inputs,
                                                                      CalibrationOptions options) {
        CalibrationOptions plain = options.toBuilder().gridPlacement(false).build();
        DataType type = model.network().params().dataType();
        IntegralModel full = model.copy();
        full.resize(1.0);
        HeldOutScore.CrossValidation cv = new HeldOutScore.CrossValidation(full.dl4jNetwork(), inputs, type);
        CalibrationSubject subject = model.calibrationSubject();
        List<CalibrationOptions.PlacementCriterion> candidates = Arrays.asList(null,
                CalibrationOptions.PlacementCriterion.WEIGHTS, CalibrationOptions.PlacementCriterion.ACTIVATIONS);
        CalibrationOptions.PlacementCriterion best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        StringBuilder scores = new StringBuilder();
        for (CalibrationOptions.PlacementCriterion c : candidates) {
            double score = cv.scores(fit -> {
                CalibrationSubject fitted = subject;
                if (c != null) {
                    IntegralModel placed = model.copy();
                    GridPlacement.place(placed, subject, fit, c);
                    fitted = placed.calibrationSubject();
                }
                return Calibrator.run(fitted, fit.castTo(type), plain).network();
            }).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            scores.append(scores.length() == 0 ? "" : ", ").append(c == null ? "uniform grid" : c).append(' ')
                    .append(String.format(Locale.ROOT, "%.4g", score));
            if (score < bestScore) {
                best = c;
                bestScore = score;
            }
        }
        LOG.info("grid placement: held-out distortion after calibration {} -> {}", scores,
                best == null ? "uniform grid" : best);
        return best;
    }

    /**
     * Calibrates the L1 channel-selection baseline with the same steps (grid tuning does not apply).
     *
     * @param pruner  the pruner
     * @param source  the source network (not modified)
     * @param sizes   group name to channel count
     * @param inputs  unlabeled inputs
     * @param options the steps
     * @return the calibrated pruned network
     */
    public static CalibratedNetwork calibrateL1(L1ChannelPruner pruner, Model source, Map<String, Integer> sizes,
                                                INDArray inputs, CalibrationOptions options) {
        CalibrationInputs.validate(Dl4jNetwork.of(source), inputs);
        long t0 = System.nanoTime();
        CalibrationSubject subject = pruner.calibrationSubject(source, sizes);
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("export", (System.nanoTime() - t0) / 1e9);
        return finish(subject, inputs, options.toBuilder().gridTuning(false).build(), timings);
    }

    /**
     * Calibrates any subject (a full and a resized plain network with their maps).
     *
     * @param subject the subject (its networks are not modified)
     * @param inputs  unlabeled inputs
     * @param options the steps (grid tuning is ignored: there are no grids)
     * @return the calibrated copy of the resized network
     */
    public static CalibratedNetwork calibrate(CalibrationSubject subject, INDArray inputs, CalibrationOptions options) {
        Checks.requireNonNull("Calibration", "subject", subject);
        CalibrationInputs.validate(subject.full(), inputs);
        return finish(subject, inputs, options, new LinkedHashMap<>());
    }

    private static CalibratedNetwork finish(CalibrationSubject subject, INDArray inputs, CalibrationOptions options,
                                            Map<String, Double> timings) {
        long t0 = System.nanoTime();
        INDArray x = inputs.castTo(subject.reduced().params().dataType());
        Calibrator.Result r = Calibrator.run(subject, x, options);
        timings.put("calibration", (System.nanoTime() - t0) / 1e9);
        CalibratedNetwork out = new CalibratedNetwork(r.network().model(), subject.sizes(), options, r.reports(),
                timings);
        LOG.info("calibrated ({}) {} layer(s) on {} inputs in {} s", options.label(), r.reports().size(),
                inputs.size(0), String.format("%.2f", out.seconds()));
        return out;
    }
}
