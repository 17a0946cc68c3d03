package org.integral4j.grid;

import java.util.Random;
import org.integral4j.util.Checks;

/**
 * A grid whose size is drawn from a {@link SizeDistribution} at every training step and fixed
 * in evaluation (TorchIntegral's {@code RandomLinspace} and {@code RandomLegendreGrid}).
 * Immutable: the evaluation size is a parameter of {@link #evaluation(int)}, and randomness comes
 * from the caller's {@link Random}.
 */
public final class RandomSizeGrid {

    private final SizeDistribution distribution;
    private final GridFamily family;

    /**
     * Creates the grid generator.
     *
     * @param distribution the distribution of sizes
     * @param family       the points a grid of a given size has
     */
    public RandomSizeGrid(SizeDistribution distribution, GridFamily family) {
        this.distribution = Checks.requireNonNull("RandomSizeGrid", "distribution", distribution);
        this.family = Checks.requireNonNull("RandomSizeGrid", "family", family);
    }

    /**
     * Uniform points with sizes drawn from {@code distribution}.
     *
     * @param distribution the distribution of sizes
     * @return the generator
     */
    public static RandomSizeGrid linspace(SizeDistribution distribution) {
        return new RandomSizeGrid(distribution, GridFamily.UNIFORM);
    }

    /**
     * Draws a training grid.
     *
     * @param rng the source of randomness (advances)
     * @return a grid whose size is a draw of the distribution
     */
    public Grid1D sample(Random rng) {
        return family.create(distribution.sample(rng));
    }

    /**
     * The evaluation grid of the given size.
     *
     * @param size number of points
     * @return the grid
     */
    public Grid1D evaluation(int size) {
        return family.create(size);
    }

    /**
     * The distribution of sizes.
     *
     * @return the distribution
     */
    public SizeDistribution distribution() {
        return distribution;
    }

    /**
     * The family of points.
     *
     * @return the family
     */
    public GridFamily family() {
        return family;
    }

    @Override
    public String toString() {
        return "RandomSizeGrid[" + family + ", " + distribution + "]";
    }
}
