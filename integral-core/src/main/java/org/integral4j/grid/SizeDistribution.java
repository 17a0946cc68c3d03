package org.integral4j.grid;

import java.util.Random;
import org.integral4j.util.Checks;

/**
 * A distribution of grid sizes (channel counts) on {@code [min, max]}, drawn once per training
 * step in random-partition training (Solodskikh et al., CVPR 2023, section 3.3). Implementations
 * are immutable; randomness comes from the caller's {@link Random}, so a seeded generator gives a
 * reproducible sequence.
 */
public interface SizeDistribution {

    /**
     * Draws one size.
     *
     * @param rng the source of randomness (modified: it advances)
     * @return a size in {@code [min(), max()]}
     */
    int sample(Random rng);

    /**
     * The smallest size this distribution draws.
     *
     * @return the minimum
     */
    int min();

    /**
     * The largest size this distribution draws; also the size used in evaluation.
     *
     * @return the maximum
     */
    int max();

    /**
     * Uniform on the integers {@code min..max} (TorchIntegral's {@code UniformDistribution}).
     *
     * @param min smallest size, at least {@link Grid1D#MIN_SIZE}
     * @param max largest size, at least {@code min}
     * @return the distribution
     */
    static SizeDistribution uniform(int min, int max) {
        return new Uniform(min, max);
    }

    /**
     * TorchIntegral's {@code NormalDistribution}: a half-normal fall from the maximum,
     * {@code size = max - floor(|N(0, sigma)|)} with {@code sigma = (max - min) / 2}; a draw below
     * {@code min} is replaced by a uniform draw on {@code [min, max]}. Sizes near the maximum are
     * the most likely, which keeps training close to the full network.
     *
     * @param min smallest size, at least {@link Grid1D#MIN_SIZE}
     * @param max largest size, at least {@code min}
     * @return the distribution
     */
    static SizeDistribution normal(int min, int max) {
        return new HalfNormal(min, max);
    }

    /**
     * Always the same size.
     *
     * @param size the size, at least {@link Grid1D#MIN_SIZE}
     * @return the distribution
     */
    static SizeDistribution fixed(int size) {
        checkRange("SizeDistribution.fixed", size, size);
        return uniform(size, size);
    }

    private static void checkRange(String where, int min, int max) {
        Checks.requireAtLeast(where, "min", min, Grid1D.MIN_SIZE, "");
        Checks.require(max >= min, where, "max must be at least min (%d), got %d.", min, max);
    }

    /**
     * Uniform on the integers {@code min..max}.
     *
     * @param min smallest size
     * @param max largest size
     */
    record Uniform(int min, int max) implements SizeDistribution {

        /**
         * Validates the range.
         *
         * @param min smallest size, at least {@link Grid1D#MIN_SIZE}
         * @param max largest size, at least {@code min}
         */
        public Uniform {
            checkRange("SizeDistribution.uniform", min, max);
        }

        @Override
        public int sample(Random rng) {
            return min + rng.nextInt(max - min + 1);
        }

        @Override
        public String toString() {
            return "Uniform[" + min + ", " + max + "]";
        }
    }

    /**
     * TorchIntegral's {@code NormalDistribution}: {@code max - floor(|N(0, (max - min) / 2)|)},
     * redrawn uniformly when below {@code min}.
     *
     * @param min smallest size
     * @param max largest size
     */
    record HalfNormal(int min, int max) implements SizeDistribution {

        /**
         * Validates the range.
         *
         * @param min smallest size, at least {@link Grid1D#MIN_SIZE}
         * @param max largest size, at least {@code min}
         */
        public HalfNormal {
            checkRange("SizeDistribution.normal", min, max);
        }

        @Override
        public int sample(Random rng) {
            int out = max - (int) Math.abs(rng.nextGaussian() * 0.5 * (max - min));
            return out < min ? min + rng.nextInt(max - min + 1) : out;
        }

        @Override
        public String toString() {
            return "HalfNormalFromMax[" + min + ", " + max + "]";
        }
    }
}
