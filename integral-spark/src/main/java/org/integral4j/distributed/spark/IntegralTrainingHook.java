package org.integral4j.distributed.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.integral4j.distributed.ChannelGroupsSnapshot;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.WorkerGroups;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thing integral networks need on DL4J's Spark training: a {@link TrainingHook} that binds
 * every worker's copy of the network to its own channel groups and draws that worker's training
 * widths before every minibatch.
 *
 * <p>Why it is needed: a DL4J Spark worker rebuilds the network from its configuration and
 * parameter vector ({@code ParameterAveragingTrainingWorker.getInitialModel}), and channel groups
 * are neither. Unbound integral layers run at full size, so without the hook every worker would
 * train the full network and ignore the model's sizes and width distribution. With it, before the
 * first minibatch of a task the hook restores the driver's groups from a {@link ChannelGroupsSnapshot}
 * (sent with the hook), seeds them per task (the round's epoch and iteration counts and the
 * partition, mixed with the user's seed: reproducible, and a retried task repeats its draws), and
 * binds them; before every minibatch it draws new widths. The parameters λ have the same shape
 * at every width, so DL4J's parameter averaging (and updater-state averaging) is unchanged.
 *
 * <pre>{@code
 * ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(32)
 *         .batchSizePerWorker(32).averagingFrequency(5).build();
 * tm.addHook(IntegralTrainingHook.builder(inn.groups()).widths(WidthSampling.uniform(0.5)).seed(7).build());
 * new SparkDl4jMultiLayer(sc, inn.multiLayerNetwork(), tm).fit(trainRdd);   // plain DL4J from here
 * }</pre>
 *
 * <p>Grid tuning (trainable grid points) is rejected: the points are not network parameters, so
 * parameter averaging would silently drop their updates. Tune grids on one machine.
 *
 * <p>Only DL4J's {@code ParameterAveragingTrainingMaster} runs hooks on its workers. The
 * gradient-sharing {@code SharedTrainingMaster} (module {@code dl4j-spark-parameterserver}) trains
 * through a {@code ParallelWrapper} inside each executor and its worker rejects hooks
 * ({@code SharedTrainingWorker.addHook} throws {@code UnsupportedOperationException}).
 */
public final class IntegralTrainingHook implements TrainingHook {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IntegralTrainingHook.class);
    private static final AtomicInteger LOCAL_WORKERS = new AtomicInteger();

    private final ChannelGroupsSnapshot snapshot;
    private final WidthSampling sampling;
    private final long seed;
    private final CollectionAccumulator<WidthDraw> draws;
    private transient List<Bound> bound;

    private record Bound(WeakReference<Model> network, WorkerGroups groups) {
    }

    private IntegralTrainingHook(Builder b) {
        this.snapshot = b.snapshot;
        this.sampling = b.sampling;
        this.seed = b.seed;
        this.draws = b.draws;
        this.bound = new ArrayList<>();
    }

    /**
     * Starts a hook for a model's groups (captured now: resize before building the hook).
     *
     * @param groups the driver's groups (not modified), e.g. {@code IntegralModel.groups()}
     * @return the builder
     */
    public static Builder builder(ChannelGroups groups) {
        return new Builder(ChannelGroupsSnapshot.of(Checks.requireNonNull("IntegralTrainingHook", "groups", groups)));
    }

    /**
     * Starts a hook for a snapshot of a model's groups.
     *
     * @param snapshot the groups as sent to workers
     * @return the builder
     */
    public static Builder builder(ChannelGroupsSnapshot snapshot) {
        return new Builder(Checks.requireNonNull("IntegralTrainingHook", "snapshot", snapshot));
    }

    /**
     * The width draws recorded on all workers so far (driver side; empty unless
     * {@link Builder#recordWidths(JavaSparkContext)} was set). A retried Spark task records its
     * draws again.
     *
     * @return the draws, in no particular order across workers
     */
    public List<WidthDraw> widthDraws() {
        return draws == null ? List.of() : List.copyOf(draws.value());
    }

    /**
     * The groups as sent to workers.
     *
     * @return the snapshot
     */
    public ChannelGroupsSnapshot snapshot() {
        return snapshot;
    }

    /**
     * The training-width distribution, or null when the snapshot's own distributions are used.
     *
     * @return the sampling
     */
    public WidthSampling sampling() {
        return sampling;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        beforeStep(model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        // widths for the next step are drawn in preUpdate
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        beforeStep(model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        // widths for the next step are drawn in preUpdate
    }

    private void beforeStep(Model model) {
        WidthDraw draw = workerFor(model).drawForNextStep();
        if (draws != null) {
            draws.add(draw);
        }
    }

    private synchronized WorkerGroups workerFor(Model model) {
        for (Iterator<Bound> it = bound.iterator(); it.hasNext();) {
            Bound b = it.next();
            Model m = b.network().get();
            if (m == model) {
                return b.groups();
            }
            if (m == null) {
                it.remove();
            }
        }
        // The round is identified by the iteration and epoch counts the driver broadcast with the
        // network (DL4J advances them by averagingFrequency per round), not by Spark's stage id, so
        // the draws do not depend on what else ran on the cluster before.
        long iteration = model instanceof MultiLayerNetwork m ? m.getIterationCount()
                : ((ComputationGraph) model).getIterationCount();
        long epoch = model instanceof MultiLayerNetwork m ? m.getEpochCount()
                : ((ComputationGraph) model).getEpochCount();
        TaskContext task = TaskContext.get();
        String name;
        long workerSeed;
        if (task != null) {
            name = "stage " + task.stageId() + " partition " + task.partitionId() + " attempt " + task.attemptNumber()
                    + " (epoch " + epoch + ", iteration " + iteration + ")";
            workerSeed = WorkerGroups.seed(seed, epoch, iteration, task.partitionId());
        } else {
            int n = LOCAL_WORKERS.getAndIncrement();
            name = "local " + n;
            workerSeed = WorkerGroups.seed(seed, epoch, iteration, -1 - n);
        }
        WorkerGroups groups = WorkerGroups.bind(model, snapshot, sampling, workerSeed, name);
        bound.add(new Bound(new WeakReference<>(model), groups));
        LOG.debug("bound the network of {} to its channel groups {}", name, groups.groups().names());
        return groups;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        bound = new ArrayList<>();
    }

    /** Builds an {@link IntegralTrainingHook}. */
    public static final class Builder {

        private final ChannelGroupsSnapshot snapshot;
        private WidthSampling sampling;
        private long seed = 42;
        private CollectionAccumulator<WidthDraw> draws;

        private Builder(ChannelGroupsSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        /**
         * Random widths per step and worker (optional: without it the groups' own distributions
         * are used, and groups without one train at their evaluation size).
         *
         * @param sampling the distribution
         * @return this builder
         */
        public Builder widths(WidthSampling sampling) {
            this.sampling = Checks.requireNonNull("IntegralTrainingHook.Builder", "sampling", sampling);
            return this;
        }

        /**
         * The base seed of the width draws (default 42); each task mixes in its round (epoch and
         * iteration counts) and partition.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Records every worker's draws in a Spark accumulator, read with
         * {@link IntegralTrainingHook#widthDraws()} (one small record per training step).
         *
         * @param sc the driver's Spark context
         * @return this builder
         */
        public Builder recordWidths(JavaSparkContext sc) {
            Checks.requireNonNull("IntegralTrainingHook.Builder", "sc", sc);
            this.draws = sc.sc().collectionAccumulator("integral4j width draws");
            return this;
        }

        /**
         * Builds the hook.
         *
         * @return the hook
         * @throws IllegalArgumentException when a group has trainable grid points
         */
        public IntegralTrainingHook build() {
            Checks.require(!snapshot.hasTrainableGrids(), "IntegralTrainingHook",
                    "the model has trainable grid points (grid tuning); they are not network parameters, so "
                            + "Spark's parameter averaging would drop their updates. Tune grids on one machine "
                            + "(IntegralModel.gridTuning), or train on Spark before switching grid tuning on.");
            return new IntegralTrainingHook(this);
        }
    }
}
