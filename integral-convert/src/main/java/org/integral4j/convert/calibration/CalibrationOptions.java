package org.integral4j.convert.calibration;

import org.integral4j.util.Checks;

/**
 * Which calibration steps run and how; immutable, built by {@link #builder()}. Each step can be
 * switched on and off on its own:
 * <ul>
 *   <li>{@link Builder#batchNorm(boolean) batch norm}: every batch normalisation of the resized
 *       network gets its running mean and variance re-estimated from the calibration inputs
 *       (integral batch norms are exported as DL4J batch norms); a batch norm that was folded into
 *       a convolution becomes a per-channel affine correction of that convolution,
 *       {@code W_c <- s_c W_c, b_c <- s_c (b_c - mu_c) + mu*_c} with {@code s_c = sigma*_c / sigma_c},
 *       so that channel {@code c}'s pre-activation mean and standard deviation ({@code mu_c,
 *       sigma_c}) match the target's ({@code mu*_c, sigma*_c}, see {@link Calibration});</li>
 *   <li>{@link Builder#reconstruction(boolean) reconstruction}: every convolution and dense layer
 *       fed by a resized part of the network is refitted by ridge regression on the calibration
 *       activations, in network order, so that its pre-activations match the target;</li>
 *   <li>{@link Builder#gridTuning(boolean) grid tuning} (integral models only): before the two
 *       steps above, the grid points of every group are moved by Adam so that the resized
 *       network's outputs match the full network's (distillation with the network's own loss:
 *       cross-entropy against the full network's softmax, i.e. KL divergence, or MSE for regression
 *       outputs); the weights stay frozen.</li>
 *   <li>{@link Builder#gridPlacement(boolean) grid placement} (integral models only): before the
 *       other steps, the grid points of every resized group are put on the knots of its most
 *       important full-size channels, so whole channels are sampled instead of blends of
 *       neighbours; importance by folded weight or by contribution energy on the calibration
 *       inputs, and by default ({@link PlacementCriterion#BEST}) whichever of those two or the
 *       uniform grid calibrates closest to the full network on held-out inputs.</li>
 * </ul>
 * Defaults: batch norm and reconstruction on, grid tuning and grid placement off (placement
 * criterion {@code BEST} when switched on), ridge 1e-2, at most 512 inputs, 24,576 sampled rows
 * per convolution, seed 42.
 */
public final class CalibrationOptions {

    /** Default number of calibration inputs taken from an iterator. */
    public static final int DEFAULT_MAX_INPUTS = 512;

    private final boolean batchNorm;
    private final boolean reconstruction;
    private final boolean gridTuning;
    private final boolean gridPlacement;
    private final PlacementCriterion placementCriterion;
    private final double ridge;
    private final int maxInputs;
    private final int maxRowsPerLayer;
    private final int chunkSize;
    private final int tuningEpochs;
    private final int tuningBatch;
    private final double tuningLearningRate;
    private final long seed;

    private CalibrationOptions(Builder b) {
        this.batchNorm = b.batchNorm;
        this.reconstruction = b.reconstruction;
        this.gridTuning = b.gridTuning;
        this.gridPlacement = b.gridPlacement;
        this.placementCriterion = b.placementCriterion;
        this.ridge = b.ridge;
        this.maxInputs = b.maxInputs;
        this.maxRowsPerLayer = b.maxRowsPerLayer;
        this.chunkSize = b.chunkSize;
        this.tuningEpochs = b.tuningEpochs;
        this.tuningBatch = b.tuningBatch;
        this.tuningLearningRate = b.tuningLearningRate;
        this.seed = b.seed;
    }

    /**
     * The defaults (batch norm and reconstruction).
     *
     * @return the default options
     */
    public static CalibrationOptions defaults() {
        return builder().build();
    }

    /**
     * No step at all (the resized network as it is): a baseline for measurements.
     *
     * @return options with every step off
     */
    public static CalibrationOptions none() {
        return builder().batchNorm(false).reconstruction(false).gridTuning(false).build();
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchNorm = batchNorm;
        b.reconstruction = reconstruction;
        b.gridTuning = gridTuning;
        b.gridPlacement = gridPlacement;
        b.placementCriterion = placementCriterion;
        b.ridge = ridge;
        b.maxInputs = maxInputs;
        b.maxRowsPerLayer = maxRowsPerLayer;
        b.chunkSize = chunkSize;
        b.tuningEpochs = tuningEpochs;
        b.tuningBatch = tuningBatch;
        b.tuningLearningRate = tuningLearningRate;
        b.seed = seed;
        return b;
    }

    /** @return whether batch norms are re-estimated (and folded ones corrected) */
    public boolean batchNorm() {
        return batchNorm;
    }

    /** @return whether layers are refitted by least squares */
    public boolean reconstruction() {
        return reconstruction;
    }

    /** @return whether grid points are tuned by distillation */
    public boolean gridTuning() {
        return gridTuning;
    }

    /** @return whether grid points are placed on the most important full channels first */
    public boolean gridPlacement() {
        return gridPlacement;
    }

    /** @return how grid placement ranks channels */
    public PlacementCriterion placementCriterion() {
        return placementCriterion;
    }

    /** @return the relative ridge strength (see {@link Builder#ridge(double)}) */
    public double ridge() {
        return ridge;
    }

    /** @return the most inputs taken from an iterator */
    public int maxInputs() {
        return maxInputs;
    }

    /** @return the most sampled positions (rows) per convolution in the least-squares fit */
    public int maxRowsPerLayer() {
        return maxRowsPerLayer;
    }

    /** @return inputs per forward pass */
    public int chunkSize() {
        return chunkSize;
    }

    /** @return passes over the calibration inputs in grid tuning */
    public int tuningEpochs() {
        return tuningEpochs;
    }

    /** @return minibatch size of grid tuning */
    public int tuningBatch() {
        return tuningBatch;
    }

    /** @return Adam step size of grid tuning */
    public double tuningLearningRate() {
        return tuningLearningRate;
    }

    /** @return the seed of every random choice (sampled rows, tuning order) */
    public long seed() {
        return seed;
    }

    /**
     * A short description of the steps that are on, e.g. {@code "bn+ls"}.
     *
     * @return the label
     */
    public String label() {
        StringBuilder sb = new StringBuilder();
        if (gridPlacement) {
            sb.append(switch (placementCriterion) {
                case WEIGHTS -> "place+";
                case ACTIVATIONS -> "aplace+";
                case BEST -> "bplace+";
            });
        }
        if (gridTuning) {
            sb.append("grid+");
        }
        if (batchNorm) {
            sb.append("bn+");
        }
        if (reconstruction) {
            sb.append("ls+");
        }
        return sb.length() == 0 ? "none" : sb.substring(0, sb.length() - 1);
    }

    @Override
    public String toString() {
        return "CalibrationOptions[batchNorm=" + batchNorm + ", reconstruction=" + reconstruction + ", gridTuning="
                + gridTuning + ", gridPlacement=" + gridPlacement + ", placementCriterion=" + placementCriterion
                + ", ridge=" + ridge + ", maxInputs=" + maxInputs + ", maxRowsPerLayer=" + maxRowsPerLayer
                + ", chunkSize=" + chunkSize + ", tuningEpochs=" + tuningEpochs + ", tuningBatch=" + tuningBatch
                + ", tuningLearningRate=" + tuningLearningRate + ", seed=" + seed + "]";
    }

    /** How grid placement ranks a group's full-size channels (see {@link GridPlacement}). */
    public enum PlacementCriterion {
        /** Mean absolute folded weight of the channel in the group's layers (needs no inputs). */
        WEIGHTS,
        /**
         * Expected energy of the channel's contribution to the pre-activations of the layers that
         * read it, {@code E[x_c^2] ||W_{:,c}||^2}, measured on the calibration inputs.
         */
        ACTIVATIONS,
        /**
         * The grid as it is (not placed), or placed by either criterion above: each of the three
         * is calibrated by two-fold cross-validation on the calibration inputs
         * ({@link HeldOutScore}) and the one whose calibrated outputs are closest to the full
         * network's is used. Costs six more calibrations on half the inputs.
         */
        BEST
    }

    /** Builds {@link CalibrationOptions}. */
    public static final class Builder {
        private boolean batchNorm = true;
        private boolean reconstruction = true;
        private boolean gridTuning = false;
        private boolean gridPlacement = false;
        private PlacementCriterion placementCriterion = PlacementCriterion.BEST;
        private double ridge = 1e-2;
        private int maxInputs = DEFAULT_MAX_INPUTS;
        private int maxRowsPerLayer = 24_576;
        private int chunkSize = 128;
        private int tuningEpochs = 4;
        private int tuningBatch = 32;
        private double tuningLearningRate = 2e-3;
        private long seed = 42;

        private Builder() {
        }

        /**
         * Re-estimate batch norms and correct folded ones (default true).
         *
         * @param on whether the step runs
         * @return this builder
         */
        public Builder batchNorm(boolean on) {
            this.batchNorm = on;
            return this;
        }

        /**
         * Refit layers by least squares (default true).
         *
         * @param on whether the step runs
         * @return this builder
         */
        public Builder reconstruction(boolean on) {
            this.reconstruction = on;
            return this;
        }

        /**
         * Tune grid points by distillation, weights frozen (default false; integral models only).
         *
         * @param on whether the step runs
         * @return this builder
         */
        public Builder gridTuning(boolean on) {
            this.gridTuning = on;
            return this;
        }

        /**
         * Place the grid points of every resized group on the knots of its most important
         * full-size channels before the other steps (default false; integral models only; see
         * {@link GridPlacement}): the resized integral network then samples whole channels
         * instead of blends of neighbours. Cannot be combined with grid tuning (which starts
         * from the uniform grid).
         *
         * @param on whether the step runs
         * @return this builder
         */
        public Builder gridPlacement(boolean on) {
            this.gridPlacement = on;
            return this;
        }

        /**
         * How grid placement chooses a group's full-size channels (default {@code BEST}: the
         * uniform grid or either criterion, whichever calibrates closest on held-out inputs; see
         * {@link PlacementCriterion}).
         *
         * @param criterion the criterion
         * @return this builder
         */
        public Builder placementCriterion(PlacementCriterion criterion) {
            Checks.requireNonNull("CalibrationOptions", "placementCriterion", criterion);
            this.placementCriterion = criterion;
            return this;
        }

        /**
         * Relative ridge strength {@code rho}: the fit minimises
         * {@code ||[X 1] Theta - Y||^2 + alpha ||Theta_W - Theta_W0||^2} with
         * {@code alpha = rho * trace(X^T X) / d} ({@code d} inputs per row, {@code Theta_W0} the
         * resized layer's weights; the bias is not penalised). Default 1e-2.
         *
         * @param rho non-negative strength
         * @return this builder
         */
        public Builder ridge(double rho) {
            Checks.require(rho >= 0 && Double.isFinite(rho), "CalibrationOptions", "ridge must be >= 0, got %s.",
                    rho);
            this.ridge = rho;
            return this;
        }

        /**
         * The most inputs taken from an iterator (default 512).
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder maxInputs(int n) {
            this.maxInputs = Checks.requireAtLeast("CalibrationOptions", "maxInputs", n, 1, "");
            return this;
        }

        /**
         * The most sampled output positions (rows of the least-squares problem) per convolution,
         * drawn at random positions of every input (default 24,576).
         *
         * @param n at least 16
         * @return this builder
         */
        public Builder maxRowsPerLayer(int n) {
            this.maxRowsPerLayer = Checks.requireAtLeast("CalibrationOptions", "maxRowsPerLayer", n, 16, "");
            return this;
        }

        /**
         * Inputs per forward pass (memory; default 128).
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder chunkSize(int n) {
            this.chunkSize = Checks.requireAtLeast("CalibrationOptions", "chunkSize", n, 1, "");
            return this;
        }

        /**
         * Grid tuning: passes over the calibration inputs, minibatch size and Adam step size
         * (defaults 4, 32, 2e-3).
         *
         * @param epochs       at least 1
         * @param batch        at least 1
         * @param learningRate positive
         * @return this builder
         */
        public Builder tuning(int epochs, int batch, double learningRate) {
            this.tuningEpochs = Checks.requireAtLeast("CalibrationOptions", "tuning epochs", epochs, 1, "");
            this.tuningBatch = Checks.requireAtLeast("CalibrationOptions", "tuning batch", batch, 1, "");
            Checks.require(learningRate > 0, "CalibrationOptions", "tuning learning rate must be positive, got %s.",
                    learningRate);
            this.tuningLearningRate = learningRate;
            return this;
        }

        /**
         * Seed of the sampled rows and the tuning order (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public CalibrationOptions build() {
            Checks.require(!(gridPlacement && gridTuning), "CalibrationOptions",
                    "grid placement and grid tuning cannot be combined (tuning restarts from the uniform grid); "
                            + "switch one off.");
            return new CalibrationOptions(this);
        }
    }
}
