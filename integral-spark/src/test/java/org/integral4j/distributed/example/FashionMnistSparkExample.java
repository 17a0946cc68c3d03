package org.integral4j.distributed.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.distributed.Width;
import org.integral4j.distributed.WidthEvaluation;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.spark.SparkIntegralModel;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.data.FashionMnistIterator;
import org.integral4j.examples.models.SmallCnn;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST trained with Spark in local mode, then the accuracy-by-width table computed on
 * Spark in one pass over the test RDD.
 * <ol>
 *   <li>the examples' small CNN, freshly initialised, becomes an integral network
 *       ({@link IntegralWrapper}, no permutation: there is nothing to smooth yet);</li>
 *   <li>it trains from scratch with DL4J's parameter averaging on {@code local[W]}: every worker
 *       draws its own widths (uniform on 50-100% of each group by default) per minibatch;</li>
 *   <li>the trained model is evaluated at 100, 75, 50, 35 and 25% width on Spark;</li>
 *   <li>it is saved as an integral model, and its half-width network exported as a plain DL4J
 *       network.</li>
 * </ol>
 * Run: {@code mvn -B -DskipTests -Pspark-example package -pl integral-spark -am}
 * ({@code -Dspark.example.args="--train 60000 --epochs 3"}). Arguments (all optional):
 * {@code --workers W} (default 2), {@code --train N} training images (default 12000, or the
 * embedded 2000), {@code --epochs E} (default 2), {@code --batch B} per worker (default 32),
 * {@code --averaging F} minibatches between averagings (default 5), {@code --min-ratio R}
 * (default 0.5), {@code --out DIR} (default {@code target/spark-example}).
 */
public final class FashionMnistSparkExample {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistSparkExample.class);
    private static final double[] WIDTHS = {1.0, 0.75, 0.5, 0.35, 0.25};

    private FashionMnistSparkExample() {
    }

    /**
     * Runs the example.
     *
     * @param args see the class comment
     * @throws IOException when the data or the output directory cannot be used
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        int workers = Integer.parseInt(opts.getOrDefault("workers", "2"));
        int epochs = Integer.parseInt(opts.getOrDefault("epochs", "2"));
        int batch = Integer.parseInt(opts.getOrDefault("batch", "32"));
        int averaging = Integer.parseInt(opts.getOrDefault("averaging", "5"));
        double minRatio = Double.parseDouble(opts.getOrDefault("min-ratio", "0.5"));
        Path out = Path.of(opts.getOrDefault("out", "target/spark-example"));
        Files.createDirectories(out);

        FashionMnist source = FashionMnist.locate();
        FashionMnistData train = source.load(FashionMnist.Split.TRAIN);
        int n = Math.min(train.size(), Integer.parseInt(opts.getOrDefault("train", "12000")));
        train = train.stratifiedSubset(n, 1);
        FashionMnistData test = source.load(FashionMnist.Split.TEST);
        LOG.info("data: {} training and {} test images ({})", train.size(), test.size(), source.sourceKind());

        IntegralModel inn = IntegralWrapper.builder().permute(false).build().wrapModel(SmallCnn.discrete(42));
        SparkConf conf = new SparkConf().setMaster("local[" + workers + "]").setAppName("integral4j-fashion-mnist")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(batch)
                    .batchSizePerWorker(batch).averagingFrequency(averaging).workerPrefetchNumBatches(2)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(7).build();
            SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm)
                    .widths(WidthSampling.uniform(minRatio)).seed(11).build();
            long t0 = System.nanoTime();
            for (int epoch = 0; epoch < epochs; epoch++) {
                JavaRDD<DataSet> rdd = sc.parallelize(minibatches(train, batch, 100 + epoch, workers * averaging),
                        workers);
                spark.fit(rdd);
                LOG.info("epoch {} of {}: worker loss {} ({} s so far)", epoch + 1, epochs,
                        String.format("%.4f", spark.score()), String.format("%.0f", (System.nanoTime() - t0) / 1e9));
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;

            List<Width> widths = new ArrayList<>();
            for (double w : WIDTHS) {
                widths.add(Width.ratio(w));
            }
            t0 = System.nanoTime();
            List<WidthEvaluation> results = spark.evaluate(sc.parallelize(minibatches(test, 100, 0, 1), workers),
                    widths);
            double evalSeconds = (System.nanoTime() - t0) / 1e9;

            StringBuilder table = new StringBuilder(String.format(
                    "Spark local[%d], %d training images, %d epochs, %d per worker and minibatch, averaging every %d "
                            + "minibatches, widths uniform on %.0f-100%%: training %.0f s, evaluation at %d widths in "
                            + "one pass %.0f s%n%n| width | parameters (exported) | test accuracy |%n|---|---|---|%n",
                    workers, train.size(), epochs, batch, averaging, 100 * minRatio, trainSeconds, WIDTHS.length,
                    evalSeconds));
            long full = inn.parameterCount(true);
            for (WidthEvaluation r : results) {
                inn.resize(r.width().ratio());
                long params = inn.parameterCount(false);
                table.append(String.format("| %s | %d (%.1f%%) | %.2f%% |%n", r.width().label(), params,
                        100.0 * params / full, 100 * r.accuracy()));
            }
            LOG.info("accuracy by width (test set, {} images):\n{}", test.size(), table);
            Files.writeString(out.resolve("results.md"), table.toString());

            inn.resize(1.0);
            inn.save(out.resolve("inn.zip").toFile());
            inn.resize(0.5);
            MultiLayerNetwork small = (MultiLayerNetwork) inn.toDiscrete();
            ModelSerializer.writeModel(small, out.resolve("plain-50.zip").toFile(), false);
            LOG.info("wrote {}: results.md, inn.zip (integral model), plain-50.zip (plain DL4J, {} parameters)", out,
                    small.numParams());
        }
    }

    /** Shuffled full minibatches, trimmed to a multiple of {@code multiple} (DL4J's averaging rounds). */
    private static List<DataSet> minibatches(FashionMnistData data, int batch, long seed, int multiple) {
        DataSetIterator it = FashionMnistIterator.builder(data).setBatchSize(batch).optShuffle(seed).optDropLast(true)
                .build();
        List<DataSet> list = new ArrayList<>();
        while (it.hasNext()) {
            list.add(it.next());
        }
        return list.subList(0, list.size() - list.size() % multiple);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Usage: FashionMnistSparkExample [--workers W] [--train N] "
                        + "[--epochs E] [--batch B] [--averaging F] [--min-ratio R] [--out DIR]; got '" + args[i] + "'.");
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }
}
