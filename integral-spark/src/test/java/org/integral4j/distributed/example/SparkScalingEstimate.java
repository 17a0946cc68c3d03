package org.integral4j.distributed.example;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.integral4j.benchmarks.ResNet18ConversionBenchmark;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.spark.SparkIntegralModel;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.grid.ChannelGroups;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbers behind the README's estimate of how DL4J parameter averaging scales with workers for
 * an integral network, and the estimate itself. Measured here: the parameter count (so the bytes
 * moved per averaging round), the time of one training step at random widths, and the fixed cost
 * of one Spark averaging round in local mode (scheduling, task and parameter (de)serialisation,
 * building the worker's network) with negligible compute. Assumed, and printed: the averaging
 * frequency, the per-worker minibatch and the network bandwidth.
 *
 * <p>Model, per averaging round of {@code N} workers: {@code T(N) = f * t_step + t_round + t_comm(N)},
 * with {@code t_comm(N) = (1 + 2 * ceil(sqrt(N))) * S / B}: the driver's parameters and Adam state
 * ({@code S = 3 * 4 * params} bytes) go out once by torrent broadcast and come back through DL4J's
 * two-level {@code treeAggregate}, where the driver and each intermediate reducer receive
 * {@code ceil(sqrt(N))} states. Throughput relative to one worker without Spark:
 * {@code N * f * t_step / T(N)}. Communication dominates once {@code t_comm(N) > f * t_step}.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pspark-example package -pl integral-spark -am
 * -Dspark.example.class=org.integral4j.distributed.example.SparkScalingEstimate
 * -Dspark.example.args="--bandwidth-gbit 10 --averaging 5"}.
 */
public final class SparkScalingEstimate {

    private static final Logger LOG = LoggerFactory.getLogger(SparkScalingEstimate.class);
    private static final int[] WORKERS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private SparkScalingEstimate() {
    }

    /** What was measured for one network. */
    private record Measured(String name, long params, int batch, double stepSeconds) {
        double stateBytes() {
            return 3.0 * 4 * params;
        }
    }

    /**
     * Measures and prints the estimate.
     *
     * @param args {@code --bandwidth-gbit B} (default 10), {@code --averaging F} (default 5),
     *             {@code --resnet-batch N} (default 16), {@code --cnn-batch N} (default 32)
     */
    public static void main(String[] args) {
        double gbit = Double.parseDouble(option(args, "bandwidth-gbit", "10"));
        int f = Integer.parseInt(option(args, "averaging", "5"));
        int resnetBatch = Integer.parseInt(option(args, "resnet-batch", "16"));
        int cnnBatch = Integer.parseInt(option(args, "cnn-batch", "32"));
        double bytesPerSecond = gbit * 1e9 / 8;

        IntegralModel cnn = IntegralWrapper.builder().permute(false).build().wrapModel(SmallCnn.discrete(1));
        Measured smallCnn = measure("example CNN (Fashion-MNIST 28x28x1)", cnn, cnnBatch, new long[] {1, 28, 28},
                10, 20);
        double roundSeconds = sparkRoundOverhead(cnn);

        // batch norms stay (integral batch norm): a fresh ResNet-18 with its batch norms folded has no
        // normalisation left and its first training step overflows
        IntegralModel resnet = IntegralWrapper.builder().permute(false).fuseBatchNorm(false).build()
                .wrapModel(withAdam(ResNet18ConversionBenchmark.resnet18(1), 1e-4));
        Measured resnet18 = measure("ResNet-18 (224x224x3, 1000 classes)", resnet, resnetBatch,
                new long[] {3, 224, 224}, 2, 4);

        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Spark round overhead (local[2], batch 1, CNN): %.3f s; averaging every %d minibatches;"
                + " network %.0f Gbit/s%n", roundSeconds, f, gbit));
        for (Measured m : List.of(smallCnn, resnet18)) {
            sb.append(String.format("%n%s: %,d parameters, S = %.1f MB per state (params + Adam moments, float32);"
                            + " train step at random widths, batch %d per worker: %.3f s%n", m.name(), m.params(),
                    m.stateBytes() / 1e6, m.batch(), m.stepSeconds()));
            sb.append("| workers | compute f*t_step (s) | Spark round (s) | communication (s) | round (s) "
                    + "| speed-up vs 1 machine | efficiency |\n|---|---|---|---|---|---|---|\n");
            int dominated = -1;
            for (int n : WORKERS) {
                double compute = f * m.stepSeconds();
                double comm = n == 1 ? 0 : (1 + 2 * Math.ceil(Math.sqrt(n))) * m.stateBytes() / bytesPerSecond;
                double overhead = n == 1 ? 0 : roundSeconds;
                double round = compute + overhead + comm;
                double speedup = n * compute / round;
                if (dominated < 0 && comm > compute) {
                    dominated = n;
                }
                sb.append(String.format("| %d | %.2f | %.2f | %.3f | %.2f | %.1f | %.0f%% |%n", n, compute, overhead,
                        comm, round, speedup, 100 * speedup / n));
            }
            sb.append(dominated < 0 ? "communication stays below compute up to " + WORKERS[WORKERS.length - 1]
                    + " workers\n" : "communication exceeds compute from " + dominated + " workers\n");
            sb.append(String.format("%nWorker count from which communication exceeds compute, for faster executors:%n"
                    + "| step time | f*t_step (s) | 1 Gbit/s | 10 Gbit/s | 25 Gbit/s |%n|---|---|---|---|---|%n"));
            for (double factor : new double[] {1, 0.1, 0.01}) {
                double t = m.stepSeconds() * factor;
                sb.append(String.format("| %s (%.4f s) | %.3f | %d | %d | %d |%n",
                        factor == 1 ? "measured" : "measured / " + Math.round(1 / factor), t, f * t,
                        breakEven(f * t, m.stateBytes(), 1e9 / 8), breakEven(f * t, m.stateBytes(), 10e9 / 8),
                        breakEven(f * t, m.stateBytes(), 25e9 / 8)));
            }
        }
        LOG.info("scaling estimate (measured on this machine, under whatever load it has):\n{}", sb);
    }

    /**
     * The smallest worker count {@code N >= 2} whose communication time
     * {@code (1 + 2 * ceil(sqrt(N))) * S / B} exceeds the compute time of a round.
     */
    static long breakEven(double computeSeconds, double stateBytes, double bytesPerSecond) {
        double ratio = computeSeconds * bytesPerSecond / stateBytes;
        long k = (long) Math.floor((ratio - 1) / 2) + 1;
        return k <= 1 ? 2 : Math.max(2, (k - 1) * (k - 1) + 1);
    }

    private static Measured measure(String name, IntegralModel inn, int batch, long[] inputShape, int warmup,
                                    int steps) {
        Model net = inn.network();
        ChannelGroups groups = inn.groups();
        WidthSampling.uniform(0.5).applyTo(groups);
        long[] shape = new long[inputShape.length + 1];
        shape[0] = batch;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        int classes = net instanceof MultiLayerNetwork ? 10 : 1000;
        INDArray x = Nd4j.rand(shape);
        INDArray y = Nd4j.zeros(batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        DataSet ds = new DataSet(x, y);
        double[] times = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
            groups.drawTrainingSizes();
            long t0 = System.nanoTime();
            if (net instanceof MultiLayerNetwork m) {
                m.fit(ds);
            } else {
                ((ComputationGraph) net).fit(ds);
            }
            if (i >= warmup) {
                times[i - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        groups.clearTrainingSizes();
        Arrays.sort(times);
        Measured m = new Measured(name, net.numParams(), batch, times[steps / 2]);
        LOG.info("{}: median train step {} s over {} steps", name, String.format("%.3f", m.stepSeconds()), steps);
        return m;
    }

    /** The graph with Adam on every layer (the benchmark's ResNet-18 has DL4J's default SGD). */
    private static ComputationGraph withAdam(ComputationGraph graph, double learningRate) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(new Adam(learningRate));
            }
        }
        ComputationGraph out = new ComputationGraph(conf);
        out.init(graph.params().dup(), false);
        return out;
    }

    /** Seconds per averaging round of two local workers, each training one 1-example minibatch. */
    private static double sparkRoundOverhead(IntegralModel inn) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("integral4j-scaling")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            List<DataSet> data = new ArrayList<>();
            for (int i = 0; i < 2 * 12; i++) {
                INDArray y = Nd4j.zeros(1, 10);
                y.putScalar(0, i % 10, 1.0);
                data.add(new DataSet(Nd4j.rand(1, 1, 28, 28), y));
            }
            JavaRDD<DataSet> rdd = sc.parallelize(data, 2);
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1).batchSizePerWorker(1)
                    .averagingFrequency(1).workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct)
                    .build();
            SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm).build();
            spark.fit(rdd);
            long t0 = System.nanoTime();
            spark.fit(rdd);
            double perRound = (System.nanoTime() - t0) / 1e9 / 12;
            LOG.info("Spark averaging round with negligible compute: {} s", String.format("%.3f", perRound));
            return perRound;
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
