package org.integral4j.distributed.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.SparkListenable;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.Width;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthEvaluation;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.WorkerGroups;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An integral network trained and evaluated on Spark with DL4J's Spark training: the integral
 * counterpart of {@link SparkDl4jMultiLayer} / {@link SparkComputationGraph}, which it uses.
 *
 * <pre>{@code
 * IntegralModel inn = IntegralWrapper.builder().build().wrapModel(cnn);
 * TrainingMaster<?, ?> tm = new ParameterAveragingTrainingMaster.Builder(32)
 *         .batchSizePerWorker(32).averagingFrequency(5).build();
 * SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm).widths(WidthSampling.uniform(0.5)).build();
 * spark.fit(trainRdd);                                         // one epoch; inn is trained in place
 * List<WidthEvaluation> acc = spark.evaluate(testRdd, 1.0, 0.75, 0.5);
 * inn.resize(0.5); inn.toDiscrete();                           // as usual
 * }</pre>
 *
 * <p>Each {@link #fit} adds an {@link IntegralTrainingHook} built from the current groups to the
 * training master for the duration of the call, so every worker binds its copy of the network to
 * its own groups and draws its own widths per minibatch; DL4J averages λ (and the updater state).
 * Like DL4J's {@code fit}, training updates the given network's parameters in place: the model
 * passed in is the trained model, which resizes, exports and saves as usual. Its groups (sizes,
 * distributions) are not changed.
 */
public final class SparkIntegralModel {

    private static final Logger LOG = LoggerFactory.getLogger(SparkIntegralModel.class);

    private final JavaSparkContext sc;
    private final IntegralModel model;
    private final Model network;
    private final ChannelGroups groups;
    private final TrainingMaster<?, ?> trainingMaster;
    private final WidthSampling sampling;
    private final long seed;
    private final boolean recordWidths;
    private final SparkDl4jMultiLayer sparkMultiLayer;
    private final SparkComputationGraph sparkGraph;
    private final List<WidthDraw> draws = new ArrayList<>();
    private int fits;

    private SparkIntegralModel(Builder b) {
        this.sc = b.sc;
        this.model = b.model;
        this.network = b.network;
        this.groups = b.groups;
        this.trainingMaster = b.trainingMaster;
        this.sampling = b.sampling;
        this.seed = b.seed;
        this.recordWidths = b.recordWidths;
        if (network instanceof MultiLayerNetwork mln) {
            this.sparkMultiLayer = new SparkDl4jMultiLayer(sc, mln, trainingMaster);
            this.sparkGraph = null;
        } else {
            this.sparkMultiLayer = null;
            this.sparkGraph = new SparkComputationGraph(sc, (ComputationGraph) network, trainingMaster);
        }
    }

    /**
     * Starts a Spark model for an {@link IntegralModel} (converted or loaded).
     *
     * @param sc             the Spark context
     * @param model          the integral model (trained in place by {@link #fit})
     * @param trainingMaster DL4J's parameter-averaging training master
     * @return the builder
     */
    public static Builder builder(JavaSparkContext sc, IntegralModel model, TrainingMaster<?, ?> trainingMaster) {
        Checks.requireNonNull("SparkIntegralModel", "model", model);
        return new Builder(sc, model, model.network(), model.groups(), trainingMaster);
    }

    /**
     * Starts a Spark model for a network built from integral layers directly, with its groups.
     *
     * @param sc             the Spark context
     * @param network        the network (trained in place by {@link #fit})
     * @param groups         its groups, bound to it ({@code IntegralNetworks.bindNew})
     * @param trainingMaster DL4J's training master
     * @return the builder
     */
    public static Builder builder(JavaSparkContext sc, Model network, ChannelGroups groups,
                                  TrainingMaster<?, ?> trainingMaster) {
        return new Builder(sc, null, network, groups, trainingMaster);
    }

    /**
     * Trains one epoch over the RDD with the training master (parameter averaging: rounds of
     * {@code averagingFrequency} minibatches of {@code batchSizePerWorker} examples per worker).
     *
     * @param data the training examples
     */
    public void fit(JavaRDD<DataSet> data) {
        Checks.requireNonNull("SparkIntegralModel.fit", "data", data);
        IntegralTrainingHook.Builder hb = IntegralTrainingHook.builder(groups).seed(WorkerGroups.seed(seed, fits++));
        if (sampling != null) {
            hb.widths(sampling);
        }
        if (recordWidths) {
            hb.recordWidths(sc);
        }
        IntegralTrainingHook hook = hb.build();
        trainingMaster.addHook(hook);
        long t0 = System.nanoTime();
        try {
            if (sparkMultiLayer != null) {
                sparkMultiLayer.fit(data);
            } else {
                sparkGraph.fit(data);
            }
        } finally {
            trainingMaster.removeHook(hook);
        }
        draws.addAll(hook.widthDraws());
        LOG.info("Spark epoch {} done in {} s, score {}", fits, String.format("%.1f", (System.nanoTime() - t0) / 1e9),
                score());
    }

    /**
     * Evaluates the network at several width ratios in one pass over the RDD.
     *
     * @param data   labelled examples
     * @param ratios width ratios (1 is the full network)
     * @return one result per ratio
     */
    public List<WidthEvaluation> evaluate(JavaRDD<DataSet> data, double... ratios) {
        Checks.require(ratios != null && ratios.length > 0, "SparkIntegralModel.evaluate", "give at least one ratio.");
        return evaluate(data, Arrays.stream(ratios).mapToObj(Width::ratio).toList());
    }

    /**
     * Evaluates the network at several widths in one pass over the RDD
     * ({@link SparkWidthEvaluation}).
     *
     * @param data   labelled examples
     * @param widths the widths
     * @return one result per width
     */
    public List<WidthEvaluation> evaluate(JavaRDD<DataSet> data, List<Width> widths) {
        return SparkWidthEvaluation.evaluate(sc, network, groups, data, widths, SparkWidthEvaluation.DEFAULT_BATCH_SIZE);
    }

    /**
     * The average minibatch loss of the last averaging round, as reported by the workers.
     *
     * @return the score
     */
    public double score() {
        return sparkMultiLayer != null ? sparkMultiLayer.getScore() : sparkGraph.getScore();
    }

    /**
     * The integral model being trained.
     *
     * @return the model
     * @throws IllegalStateException when built from a network and groups rather than an {@link IntegralModel}
     */
    public IntegralModel model() {
        if (model == null) {
            throw new IllegalStateException("This SparkIntegralModel was built from a network and its groups; use "
                    + "network() and groups(), or build it from an IntegralModel.");
        }
        return model;
    }

    /**
     * The network being trained (the driver's copy, which holds the averaged parameters).
     *
     * @return the network
     */
    public Model network() {
        return network;
    }

    /**
     * The driver's channel groups (not changed by training).
     *
     * @return the groups
     */
    public ChannelGroups groups() {
        return groups;
    }

    /**
     * Every width drawn on every worker in the {@link #fit} calls so far (empty unless
     * {@link Builder#recordWidths(boolean)}).
     *
     * @return the draws
     */
    public List<WidthDraw> widthDraws() {
        return Collections.unmodifiableList(draws);
    }

    /**
     * DL4J's Spark network for anything else it offers (scoring, DL4J's own full-size evaluation,
     * training statistics).
     *
     * @return a {@link SparkDl4jMultiLayer} or {@link SparkComputationGraph}
     */
    public SparkListenable sparkNetwork() {
        return sparkMultiLayer != null ? sparkMultiLayer : sparkGraph;
    }

    /** Builds a {@link SparkIntegralModel}. */
    public static final class Builder {

        private final JavaSparkContext sc;
        private final IntegralModel model;
        private final Model network;
        private final ChannelGroups groups;
        private final TrainingMaster<?, ?> trainingMaster;
        private WidthSampling sampling;
        private long seed = 42;
        private boolean recordWidths;

        private Builder(JavaSparkContext sc, IntegralModel model, Model network, ChannelGroups groups,
                        TrainingMaster<?, ?> trainingMaster) {
            this.sc = Checks.requireNonNull("SparkIntegralModel", "sc", sc);
            this.model = model;
            this.network = Checks.requireNonNull("SparkIntegralModel", "network", network);
            this.groups = Checks.requireNonNull("SparkIntegralModel", "groups", groups);
            this.trainingMaster = Checks.requireNonNull("SparkIntegralModel", "trainingMaster", trainingMaster);
            Checks.require(trainingMaster instanceof ParameterAveragingTrainingMaster, "SparkIntegralModel",
                    "expected a ParameterAveragingTrainingMaster, got %s. Only parameter averaging runs TrainingHooks "
                            + "on the workers (DL4J's gradient-sharing SharedTrainingMaster rejects them), and without "
                            + "the hook every worker would train the full-width network.",
                    trainingMaster.getClass().getName());
            Checks.require(network instanceof MultiLayerNetwork || network instanceof ComputationGraph,
                    "SparkIntegralModel", "expected a MultiLayerNetwork or ComputationGraph, got %s.",
                    network.getClass().getName());
        }

        /**
         * Random training widths per step and worker (optional; without it the groups' own
         * distributions apply, and groups without one train at their current size).
         *
         * @param sampling the distribution
         * @return this builder
         */
        public Builder widths(WidthSampling sampling) {
            this.sampling = Checks.requireNonNull("SparkIntegralModel.Builder", "sampling", sampling);
            return this;
        }

        /**
         * Base seed of the width draws (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Records every worker's width draws (a Spark accumulator; one small record per step).
         *
         * @param record true to record
         * @return this builder
         */
        public Builder recordWidths(boolean record) {
            this.recordWidths = record;
            return this;
        }

        /**
         * Builds the Spark model.
         *
         * @return the model
         */
        public SparkIntegralModel build() {
            return new SparkIntegralModel(this);
        }
    }
}
