package org.integral4j.distributed.parallel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.ChannelGroupsSnapshot;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.WorkerGroups;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-core (or multi-GPU) training of an integral network on one machine with DL4J's
 * {@link ParallelWrapper} in averaging mode: every replica trains on its own minibatches at its
 * own random widths, and the replicas' parameters λ (same shape at every width) and updater
 * states are averaged every {@code averagingFrequency} steps.
 *
 * <pre>{@code
 * IntegralParallelWrapper pw = IntegralParallelWrapper.builder(inn).workers(2).averagingFrequency(3)
 *         .widths(WidthSampling.uniform(0.5)).build();
 * pw.fit(trainIterator);                       // one epoch; inn is trained in place
 * }</pre>
 *
 * <p>How replicas get their groups: DL4J 1.0.0-M2.1's {@code ParallelWrapper.Builder.build()}
 * replaces any {@code trainerFactory} by its default in averaging mode, so the integral trainer
 * context is set on the built wrapper ({@code setTrainerContext}). Replica 0 trains the given
 * network itself; it is bound to its own groups during {@link #fit} and re-bound to the model's
 * groups afterwards, and its listeners are restored (DL4J's builder moves them to the wrapper).
 * Grid tuning (trainable grid points) is rejected: the points are not averaged.
 */
public final class IntegralParallelWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(IntegralParallelWrapper.class);

    private final Model network;
    private final ChannelGroups groups;
    private final int workers;
    private final int averagingFrequency;
    private final int prefetchBuffer;
    private final WidthSampling sampling;
    private final long seed;
    private final boolean recordWidths;
    private final List<WidthDraw> draws = Collections.synchronizedList(new ArrayList<>());
    private int fits;

    private IntegralParallelWrapper(Builder b) {
        this.network = b.network;
        this.groups = b.groups;
        this.workers = b.workers;
        this.averagingFrequency = b.averagingFrequency;
        this.prefetchBuffer = b.prefetchBuffer;
        this.sampling = b.sampling;
        this.seed = b.seed;
        this.recordWidths = b.recordWidths;
    }

    /**
     * Starts a wrapper for an {@link IntegralModel}.
     *
     * @param model the model (trained in place)
     * @return the builder
     */
    public static Builder builder(IntegralModel model) {
        Checks.requireNonNull("IntegralParallelWrapper", "model", model);
        return new Builder(model.network(), model.groups());
    }

    /**
     * Starts a wrapper for a network built from integral layers directly.
     *
     * @param network the network (trained in place)
     * @param groups  its groups
     * @return the builder
     */
    public static Builder builder(Model network, ChannelGroups groups) {
        return new Builder(network, groups);
    }

    /**
     * Trains one epoch: minibatches from the iterator go round-robin to the replicas.
     *
     * @param data the training minibatches (reset by DL4J if it supports reset)
     */
    public void fit(DataSetIterator data) {
        Checks.requireNonNull("IntegralParallelWrapper.fit", "data", data);
        ChannelGroupsSnapshot snapshot = ChannelGroupsSnapshot.of(groups);
        Checks.require(!snapshot.hasTrainableGrids(), "IntegralParallelWrapper",
                "the model has trainable grid points (grid tuning); replicas would not average them. Tune grids "
                        + "with plain fit() on one network.");
        Collection<TrainingListener> listeners = new ArrayList<>(listeners(network));
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(network).workers(workers)
                .averagingFrequency(averagingFrequency).prefetchBuffer(prefetchBuffer).averageUpdaters(true).build();
        wrapper.setTrainerContext(new IntegralTrainerContext(snapshot, sampling, WorkerGroups.seed(seed, fits++),
                draw -> {
                    if (recordWidths) {
                        draws.add(draw);
                    }
                }));
        long t0 = System.nanoTime();
        try {
            wrapper.fit(data);
        } finally {
            wrapper.shutdown();
            IntegralNetworks.bind(network, groups);
            network.setListeners(listeners);
        }
        LOG.info("ParallelWrapper epoch {} with {} replicas done in {} s", fits, workers,
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    }

    private static Collection<TrainingListener> listeners(Model m) {
        Collection<TrainingListener> l = m instanceof MultiLayerNetwork mln ? mln.getListeners()
                : ((ComputationGraph) m).getListeners();
        return l == null ? List.of() : l;
    }

    /**
     * Every width drawn by every replica in the {@link #fit} calls so far (empty unless
     * {@link Builder#recordWidths(boolean)}).
     *
     * @return a copy of the draws
     */
    public List<WidthDraw> widthDraws() {
        synchronized (draws) {
            return List.copyOf(draws);
        }
    }

    /** Builds an {@link IntegralParallelWrapper}. */
    public static final class Builder {

        private final Model network;
        private final ChannelGroups groups;
        private int workers = 2;
        private int averagingFrequency = 1;
        private int prefetchBuffer = 2;
        private WidthSampling sampling;
        private long seed = 42;
        private boolean recordWidths;

        private Builder(Model network, ChannelGroups groups) {
            this.network = Checks.requireNonNull("IntegralParallelWrapper", "network", network);
            this.groups = Checks.requireNonNull("IntegralParallelWrapper", "groups", groups);
            Checks.require(network instanceof MultiLayerNetwork || network instanceof ComputationGraph,
                    "IntegralParallelWrapper", "expected a MultiLayerNetwork or ComputationGraph, got %s.",
                    network.getClass().getName());
        }

        /**
         * Number of replicas (default 2; DL4J needs at least 2).
         *
         * @param workers the replica count
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = Checks.requireAtLeast("IntegralParallelWrapper", "workers", workers, 2,
                    "ParallelWrapper needs at least 2 replicas; train one network with fit() otherwise.");
            return this;
        }

        /**
         * Steps between parameter averagings (default 1).
         *
         * @param frequency the step count, at least 1
         * @return this builder
         */
        public Builder averagingFrequency(int frequency) {
            this.averagingFrequency = Checks.requireAtLeast("IntegralParallelWrapper", "averagingFrequency", frequency, 1,
                    "");
            return this;
        }

        /**
         * Minibatches prefetched per replica (default 2; 0 disables asynchronous prefetch).
         *
         * @param size the buffer size
         * @return this builder
         */
        public Builder prefetchBuffer(int size) {
            Checks.require(size >= 0, "IntegralParallelWrapper", "prefetchBuffer must be >= 0, got %d.", size);
            this.prefetchBuffer = size;
            return this;
        }

        /**
         * Random widths per step and replica (optional; without it the groups' own distributions
         * apply, and groups without one train at their current size).
         *
         * @param sampling the distribution
         * @return this builder
         */
        public Builder widths(WidthSampling sampling) {
            this.sampling = Checks.requireNonNull("IntegralParallelWrapper.Builder", "sampling", sampling);
            return this;
        }

        /**
         * Base seed of the width draws (default 42); each replica mixes in its index.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Records every replica's width draws, read with {@link IntegralParallelWrapper#widthDraws()}.
         *
         * @param record true to record
         * @return this builder
         */
        public Builder recordWidths(boolean record) {
            this.recordWidths = record;
            return this;
        }

        /**
         * Builds the wrapper.
         *
         * @return the wrapper
         */
        public IntegralParallelWrapper build() {
            return new IntegralParallelWrapper(this);
        }
    }
}
