package org.integral4j.convert.calibration;

import java.util.Locale;

/**
 * What calibration did to one layer, with the relative residual of its pre-activations against
 * the target before and after ({@code sum (y - t)^2 / sum (t - mean t)^2} on the sampled rows;
 * NaN where not measured).
 *
 * @param id             the layer id
 * @param step           {@code "batch-norm statistics"}, {@code "affine correction"} or {@code "least squares"}
 * @param rows           rows (sampled positions or examples) used
 * @param residualBefore relative residual before
 * @param residualAfter  relative residual after
 * @param seconds        time spent on this layer
 */
public record LayerReport(String id, String step, long rows, double residualBefore, double residualAfter,
                          double seconds) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s (%d rows), residual %.4g -> %.4g, %.2f s", id, step,
                rows, residualBefore, residualAfter, seconds);
    }
}
