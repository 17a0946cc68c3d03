package org.integral4j.distributed;

import java.io.Serializable;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;

/**
 * How a worker draws the width of each training step (random-partition training, Solodskikh et
 * al., CVPR 2023, section 3.3): every resizable group gets a size in
 * {@code [max(2, round(minRatio * fullSize)), fullSize]}, uniformly or from the half-normal
 * distribution that favours the full size. Drawn independently per group, per step and per worker.
 *
 * @param minRatio   smallest width as a fraction of the full size, in (0, 1]
 * @param halfNormal true for the half-normal distribution (TorchIntegral's {@code NormalDistribution}),
 *                   false for uniform
 */
public record WidthSampling(double minRatio, boolean halfNormal) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Validates the ratio.
     *
     * @param minRatio   smallest width ratio, in (0, 1]
     * @param halfNormal the distribution
     */
    public WidthSampling {
        Checks.require(minRatio > 0 && minRatio <= 1, "WidthSampling",
                "minRatio must be in (0, 1] (1 trains at full width only), got %s.", minRatio);
    }

    /**
     * Uniform widths between {@code minRatio} and the full size.
     *
     * @param minRatio smallest width ratio, in (0, 1]
     * @return the sampling
     */
    public static WidthSampling uniform(double minRatio) {
        return new WidthSampling(minRatio, false);
    }

    /**
     * Half-normal widths between {@code minRatio} and the full size, most often near the full size.
     *
     * @param minRatio smallest width ratio, in (0, 1]
     * @return the sampling
     */
    public static WidthSampling halfNormal(double minRatio) {
        return new WidthSampling(minRatio, true);
    }

    /**
     * Sets this distribution on every resizable group.
     *
     * @param groups the groups (modified: their distributions)
     */
    public void applyTo(ChannelGroups groups) {
        groups.setDistributions(minRatio, halfNormal);
    }
}
