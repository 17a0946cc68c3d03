package org.integral4j.distributed.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.distributed.ChannelGroupsSnapshot;
import org.integral4j.distributed.Width;
import org.integral4j.distributed.WidthEvaluation;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed evaluation of one integral network at several widths in one pass over an RDD, so a
 * user can choose the width on a cluster: every partition rebuilds the network once, and every
 * minibatch goes through it once per width (the widths share the data reading, the network
 * construction and the parameter broadcast). Partial results are merged with
 * {@link Evaluation#merge}.
 *
 * <pre>{@code
 * List<WidthEvaluation> r = SparkWidthEvaluation.evaluate(sc, inn.network(), inn.groups(), testRdd,
 *         List.of(Width.full(), Width.ratio(0.75), Width.ratio(0.5)), 128);
 * System.out.println(WidthEvaluation.table(r));
 * }</pre>
 *
 * <p>Sent to the executors: the network's JSON configuration and its parameter vector (broadcast,
 * as DL4J's own evaluation does), a {@link ChannelGroupsSnapshot} and the widths.
 */
public final class SparkWidthEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(SparkWidthEvaluation.class);

    /** Examples per forward pass on a worker unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 128;

    private SparkWidthEvaluation() {
    }

    /**
     * Evaluates a classifier at several widths.
     *
     * @param sc        the Spark context
     * @param network   the integral network (not modified; single output for a graph)
     * @param groups    its channel groups (not modified; sizes of groups a width does not name)
     * @param data      labelled examples (one-hot or per-time-step labels, optional masks)
     * @param widths    the widths, at least one
     * @param batchSize examples per forward pass on a worker
     * @return one result per width, in the given order
     */
    public static List<WidthEvaluation> evaluate(JavaSparkContext sc, Model network, ChannelGroups groups,
                                                 JavaRDD<DataSet> data, List<Width> widths, int batchSize) {
        Checks.requireNonNull("SparkWidthEvaluation", "sc", sc);
        Checks.requireNonNull("SparkWidthEvaluation", "network", network);
        Checks.requireNonNull("SparkWidthEvaluation", "data", data);
        Checks.require(widths != null && !widths.isEmpty(), "SparkWidthEvaluation", "give at least one width.");
        Checks.requireAtLeast("SparkWidthEvaluation", "batchSize", batchSize, 1, "");
        boolean graph;
        String json;
        if (network instanceof MultiLayerNetwork mln) {
            graph = false;
            json = mln.getLayerWiseConfigurations().toJson();
        } else if (network instanceof ComputationGraph cg) {
            Checks.require(cg.getNumOutputArrays() == 1, "SparkWidthEvaluation",
                    "the graph has %d outputs; evaluation of DataSet RDDs needs exactly one.", cg.getNumOutputArrays());
            graph = true;
            json = cg.getConfiguration().toJson();
        } else {
            throw new IllegalArgumentException("SparkWidthEvaluation: expected a MultiLayerNetwork or ComputationGraph, got "
                    + network.getClass().getName() + ".");
        }
        ChannelGroupsSnapshot snapshot = ChannelGroupsSnapshot.of(groups);
        long t0 = System.nanoTime();
        Broadcast<String> conf = sc.broadcast(json);
        Broadcast<byte[]> params = sc.broadcast(bytes(network));
        try {
            Evaluation[] merged = data.mapPartitions(new EvaluateAtWidthsFunction(graph, conf, params, snapshot,
                    widths, batchSize)).treeAggregate(null, SparkWidthEvaluation::merge, SparkWidthEvaluation::merge);
            Checks.require(merged != null, "SparkWidthEvaluation", "the RDD holds no examples.");
            List<WidthEvaluation> out = new ArrayList<>();
            for (int i = 0; i < widths.size(); i++) {
                out.add(new WidthEvaluation(widths.get(i), merged[i]));
            }
            LOG.info("evaluated {} widths in one pass in {} s", widths.size(),
                    String.format("%.1f", (System.nanoTime() - t0) / 1e9));
            return out;
        } finally {
            conf.unpersist();
            params.unpersist();
        }
    }

    private static Evaluation[] merge(Evaluation[] a, Evaluation[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        for (int i = 0; i < a.length; i++) {
            a[i].merge(b[i]);
        }
        return a;
    }

    private static byte[] bytes(Model network) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(network.params(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkWidthEvaluation: could not serialise the parameters", e);
        }
        return bytes.toByteArray();
    }
}
