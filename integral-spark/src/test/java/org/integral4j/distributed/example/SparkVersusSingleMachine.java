package org.integral4j.distributed.example;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.TestModels;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.spark.SparkIntegralModel;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark training against single-machine training of the same integral CNN with the same budget,
 * on the embedded Fashion-MNIST subset (2000 training, 500 test images; the same on every machine):
 * the same initial network, the same minibatches of 25 images in the same order each epoch (so the
 * same number of gradient evaluations), the same Adam settings and the same width distribution
 * (uniform 50-100% per group and step). Spark runs DL4J's parameter averaging on {@code local[2]}.
 * Prints the test accuracy of both at full and at half width after every epoch.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pspark-example package -pl integral-spark -am
 * -Dspark.example.class=org.integral4j.distributed.example.SparkVersusSingleMachine
 * -Dspark.example.args="--epochs 8 --averaging 2 --lr 1e-3"}.
 */
public final class SparkVersusSingleMachine {

    private static final Logger LOG = LoggerFactory.getLogger(SparkVersusSingleMachine.class);
    private static final int BATCH = 25;

    private SparkVersusSingleMachine() {
    }

    /** Accuracy at full and half width after one epoch. */
    private record Point(double full, double half) {
    }

    /**
     * Runs the comparison.
     *
     * @param args {@code --epochs E} (default 8), {@code --averaging F} (default 2), {@code --lr R}
     *             (Adam step size, default 1e-3)
     */
    public static void main(String[] args) {
        int epochs = Integer.parseInt(option(args, "epochs", "8"));
        int averaging = Integer.parseInt(option(args, "averaging", "2"));
        double lr = Double.parseDouble(option(args, "lr", "1e-3"));
        FashionMnistData train = TestModels.fashionMnist(FashionMnist.Split.TRAIN);
        DataSet test = TestModels.fashionMnist(FashionMnist.Split.TEST).toDataSet();

        IntegralModel single = TestModels.integral(TestModels.fashionCnn(42, lr));
        MultiLayerNetwork net = single.multiLayerNetwork();
        net.addListeners(single.randomPartitions(0.5, false));
        List<Point> singlePoints = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            net.fit(new ListDataSetIterator<>(TestModels.batches(train, BATCH, 100 + epoch), 1));
            single.groups().clearTrainingSizes();
            singlePoints.add(point(single, test));
            LOG.info("single machine, epoch {}: {}", epoch + 1, singlePoints.get(epoch));
        }
        double singleSeconds = (System.nanoTime() - t0) / 1e9;

        IntegralModel spark = TestModels.integral(TestModels.fashionCnn(42, lr));
        List<Point> sparkPoints = new ArrayList<>();
        double sparkSeconds;
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("integral4j-spark-vs-single")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(BATCH)
                    .batchSizePerWorker(BATCH).averagingFrequency(averaging).workerPrefetchNumBatches(0)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(3).build();
            SparkIntegralModel s = SparkIntegralModel.builder(sc, spark, tm).widths(WidthSampling.uniform(0.5)).seed(9)
                    .build();
            t0 = System.nanoTime();
            for (int epoch = 0; epoch < epochs; epoch++) {
                s.fit(sc.parallelize(TestModels.batches(train, BATCH, 100 + epoch), 2));
                sparkPoints.add(point(spark, test));
                LOG.info("Spark, epoch {}: {}", epoch + 1, sparkPoints.get(epoch));
            }
            sparkSeconds = (System.nanoTime() - t0) / 1e9;
        }

        StringBuilder sb = new StringBuilder(String.format("Same budget: 2000 images per epoch, minibatch %d, Adam %s, "
                        + "widths uniform 50-100%%; Spark local[2] averaging every %d minibatches. Test accuracy (500 "
                        + "images) after each epoch; training took %.0f s on one machine, %.0f s on Spark.%n%n"
                        + "| epoch | single 100%% | Spark 100%% | single 50%% | Spark 50%% |%n|---|---|---|---|---|%n",
                BATCH, lr, averaging, singleSeconds, sparkSeconds));
        for (int e = 0; e < epochs; e++) {
            Point a = singlePoints.get(e);
            Point b = sparkPoints.get(e);
            sb.append(String.format("| %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n", e + 1, 100 * a.full(), 100 * b.full(),
                    100 * a.half(), 100 * b.half()));
        }
        LOG.info("Spark versus one machine:\n{}", sb);
    }

    private static Point point(IntegralModel inn, DataSet test) {
        Map<String, Integer> sizes = inn.sizes();
        double full = TestModels.accuracy(inn.network(), test);
        inn.resize(0.5);
        double half = TestModels.accuracy(inn.network(), test);
        sizes.forEach(inn::resize);
        return new Point(full, half);
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
