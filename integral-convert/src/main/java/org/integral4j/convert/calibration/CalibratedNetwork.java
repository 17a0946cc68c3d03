package org.integral4j.convert.calibration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * The result of a calibration: a plain DL4J network of the source's type at the calibrated sizes
 * (loads with {@code ModelSerializer} without Integral4J), the sizes, the options, what was done
 * per layer and how long each step took.
 *
 * @param network  the calibrated plain network (the caller owns it)
 * @param sizes    the size of every channel group
 * @param options  the options used
 * @param layers   per-layer reports in network order
 * @param timings  seconds per step (grid tuning, export, calibration), in order
 */
public record CalibratedNetwork(Model network, Map<String, Integer> sizes, CalibrationOptions options,
                                List<LayerReport> layers, Map<String, Double> timings) {

    /** Copies the collections. */
    public CalibratedNetwork {
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        layers = List.copyOf(layers);
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }

    /**
     * Total seconds of all steps.
     *
     * @return the sum of {@link #timings()}
     */
    public double seconds() {
        return timings.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
