package org.integral4j.examples.reference;

import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;

/**
 * Random-width training in which one width ratio per step is shared by all groups: before every
 * step a ratio {@code r} is drawn uniformly from {@code [minRatio, 1]} and every group trains at
 * {@code round(r * C)} channels (at least 2), the configurations that resampling at a single ratio
 * evaluates. (TorchIntegral, and {@code IntegralModel.randomPartitions}, draw each group's size
 * independently.) Use it instead of a {@code RandomPartitionListener}.
 */
final class SharedRatioSizes extends BaseTrainingListener {

    private final ChannelGroups groups;
    private final double minRatio;
    private final Random rng;
    private double ratio = 1.0;

    /**
     * Sets every simple group's training distribution to the shared ratio and draws the first one.
     *
     * @param groups   the model's groups (modified: distributions and training sizes)
     * @param minRatio smallest ratio, in (0, 1]
     * @param seed     seed of the ratio draws
     */
    SharedRatioSizes(ChannelGroups groups, double minRatio, long seed) {
        if (!(minRatio > 0 && minRatio <= 1)) {
            throw new IllegalArgumentException("minRatio must be in (0, 1], got " + minRatio);
        }
        this.groups = groups;
        this.minRatio = minRatio;
        this.rng = new Random(seed);
        for (ChannelGroup g : groups.all()) {
            if (!g.isComposite()) {
                int full = g.fullSize();
                g.setDistribution(new SizeDistribution() {
                    @Override
                    public int sample(Random unused) {
                        return Math.max(2, Math.min(full, (int) Math.round(ratio * full)));
                    }

                    @Override
                    public int min() {
                        return Math.max(2, Math.min(full, (int) Math.round(minRatio * full)));
                    }

                    @Override
                    public int max() {
                        return full;
                    }

                    @Override
                    public String toString() {
                        return "SharedRatio[" + minRatio + ", 1] of " + full;
                    }
                });
            }
        }
        draw();
    }

    private void draw() {
        ratio = minRatio + (1 - minRatio) * rng.nextDouble();
        groups.drawTrainingSizes();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        draw();
    }
}
