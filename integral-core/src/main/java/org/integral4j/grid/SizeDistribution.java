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

    /**
     * Draws from {@code base} and rounds the size up to a multiple of {@code multiple} (a draw above
     * the largest multiple not exceeding the maximum gives the maximum, so the full size stays
     * reachable). Random-partition training then meets only a few distinct widths: oneDNN creates
     * (JIT-compiles) a primitive for every new convolution shape, and with arbitrary sizes a small
     * network keeps meeting new (in, out) pairs for thousands of steps, so steps at random widths
     * cost 1.1-1.3x a full-size step; in multiples of 8 they cost what a full-size step costs
     * (README, random-width training). Widths that are multiples of 8 or 16 also fill oneDNN's
     * channel blocks. The method then trains on fewer distinct widths than TorchIntegral's draws.
     *
     * @param base     the distribution of unrounded sizes
     * @param multiple the step between sizes, at least 1 (1 returns {@code base})
     * @return the rounded distribution
     */
    static SizeDistribution quantized(SizeDistribution base, int multiple) {
        Checks.requireNonNull("SizeDistribution.quantized", "base", base);
        Checks.requireAtLeast("SizeDistribution.quantized", "multiple", multiple, 1, "");
        return multiple == 1 ? base : new Quantized(base, multiple);
    }

    /**
     * {@code base} rounded up to multiples of {@code multiple}, capped at {@code base.max()}.
     *
     * @param base     the distribution of unrounded sizes
     * @param multiple the step between sizes
     */
    record Quantized(SizeDistribution base, int multiple) implements SizeDistribution {

        /**
         * Validates the arguments.
         *
         * @param base     the distribution of unrounded sizes
         * @param multiple the step between sizes, at least 2
         */
        public Quantized {
            Checks.requireNonNull("SizeDistribution.quantized", "base", base);
            Checks.requireAtLeast("SizeDistribution.quantized", "multiple", multiple, 2, "");
        }

        @Override
        public int sample(Random rng) {
            return round(base.sample(rng));
        }

        private int round(int size) {
            long up = ((long) size + multiple - 1) / multiple * multiple;
            return (int) Math.min(up, base.max());
        }

        @Override
        public int min() {
            return round(base.min());
        }

        @Override
        public int max() {
            return base.max();
        }

        @Override
        public String toString() {
            return base + " in multiples of " + multiple;
        }
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
