package org.integral4j.convert.calibration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.util.Checks;

/**
 * What calibration works on: the full network (the reference whose pre-activations are the
 * targets), the resized plain network of the same topology (same layer node names, fewer
 * channels), its layers in network order, and per channel group the linear map {@code T_g}
 * (shape {@code (n_g, N_g)}: resized channels by full channels) that says which combination of the
 * full network's channels each resized channel stands for:
 * <ul>
 *   <li>an integral model resampled on grid points {@code x_1..x_n}: {@code T = A(x)}, the
 *       cubic-convolution interpolation matrix of the group's knots at those points. With knots at
 *       full resolution the full-size weight is {@code W_full = lambda B^T} (the output
 *       interpolation is the identity at full size) and the resized layer's output channel at
 *       {@code x_i} has weights {@code A(x_i) lambda B^T}, so the full network's "virtual"
 *       pre-activation there is {@code A(x_i) Z_full}, bias included;</li>
 *   <li>channel selection keeping channels {@code k_1..k_n}: {@code T} selects rows {@code k_i}.</li>
 * </ul>
 * Made by {@code IntegralModel.calibrationSubject()} or {@code L1ChannelPruner}; the networks are
 * not modified by calibration (it works on a copy of the resized one).
 *
 * @param full       the full network (not modified)
 * @param reduced    the resized network (not modified; calibration copies it)
 * @param layers     the parametrised layers of both networks, in network (topological) order
 * @param targetMaps group name to {@code T_g} as {@code [n_g][N_g]}; a group missing here is at full
 *                   size with {@code T = I}
 * @param sizes      current size of every group
 */
public record CalibrationSubject(Dl4jNetwork full, Dl4jNetwork reduced, List<LayerLink> layers,
                                 Map<String, double[][]> targetMaps,
                                 Map<String, Integer> sizes) {

    /** Validates and copies the lists and maps. */
    public CalibrationSubject {
        Checks.requireNonNull("CalibrationSubject", "full", full);
        Checks.requireNonNull("CalibrationSubject", "reduced", reduced);
        Checks.require(full.type() == reduced.type(), "CalibrationSubject",
                "full and resized network must be of one type, got %s and %s.", full.type(), reduced.type());
        layers = List.copyOf(layers);
        targetMaps = Map.copyOf(targetMaps);
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
    }

    /**
     * Whether every group is at full size with the identity map (calibration then changes nothing).
     *
     * @return true at full size
     */
    public boolean isFullSize() {
        for (double[][] t : targetMaps.values()) {
            if (!isIdentity(t)) {
                return false;
            }
        }
        return true;
    }

    static boolean isIdentity(double[][] t) {
        if (t.length != t[0].length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t[i].length; j++) {
                if (Math.abs(t[i][j] - (i == j ? 1 : 0)) > 1e-12) {
                    return false;
                }
            }
        }
        return true;
    }
}
