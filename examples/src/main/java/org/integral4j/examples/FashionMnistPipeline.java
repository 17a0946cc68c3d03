package org.integral4j.examples;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.OneDnn;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job: what a user of Integral4J does, end to end, on Fashion-MNIST.
 * <ol>
 *   <li>train the small CNN ({@link SmallCnn}) as a plain DL4J network;</li>
 *   <li>convert it with {@link IntegralWrapper} (groups found, channels permuted by TSP, knot
 *       tensors by the right inverse): the integral network at full size has the same accuracy;</li>
 *   <li>resize every group to several widths without fine-tuning, next to the L1 channel-selection
 *       baseline ({@link L1ChannelPruner}) at the same widths;</li>
 *   <li>fine-tune the integral network briefly with random widths inside DL4J's {@code fit()}, and
 *       evaluate again;</li>
 *   <li>export the half-width network as a plain, smaller DL4J network and save it (and the
 *       integral model).</li>
 * </ol>
 * Offline: without the Debian package {@code dataset-fashion-mnist} it uses the subset embedded in
 * this jar.
 *
 * <p>Arguments (all optional): {@code --epochs N} (discrete training, default 2),
 * {@code --finetune-epochs N} (default 1), {@code --train N} (training images, default all),
 * {@code --out DIR} (default {@code target/pipeline}).
 */
public final class FashionMnistPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistPipeline.class);
    private static final double[] WIDTHS = {1.0, 0.75, 0.5, 0.35, 0.25};
    private static final int BATCH = 64;

    private FashionMnistPipeline() {
    }

    /**
     * Runs the pipeline.
     *
     * @param args see the class comment
     * @throws IOException when the data or the output directory cannot be used
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        int epochs = Integer.parseInt(opts.getOrDefault("epochs", "2"));
        int finetuneEpochs = Integer.parseInt(opts.getOrDefault("finetune-epochs", "1"));
        Path out = Path.of(opts.getOrDefault("out", "target/pipeline"));
        Files.createDirectories(out);
        OneDnn.enableForDl4jLayers();

        FashionMnist source = FashionMnist.locate();
        FashionMnistData train = source.load(FashionMnist.Split.TRAIN);
        if (opts.containsKey("train")) {
            train = train.stratifiedSubset(Integer.parseInt(opts.get("train")), 1);
        }
        FashionMnistData test = source.load(FashionMnist.Split.TEST);
        DataSet testSet = test.toDataSet();
        LOG.info("data: {} training and {} test images ({})", train.size(), test.size(), source.sourceKind());

        long t0 = System.nanoTime();
        MultiLayerNetwork discrete = SmallCnn.discrete(42);
        discrete.fit(train.iterator(BATCH, 7), epochs);
        double discreteAccuracy = accuracy(discrete, testSet);
        LOG.info("1. discrete CNN trained ({} epochs, {} s): test accuracy {}", epochs, seconds(t0),
                pct(discreteAccuracy));

        t0 = System.nanoTime();
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(discrete);
        String conversionSeconds = seconds(t0);
        double innAccuracy = accuracy(inn.multiLayerNetwork(), testSet);
        LOG.info("2. converted in {} s; groups {}; integral network at full size: accuracy {}", conversionSeconds,
                inn.sizes(), pct(innAccuracy));

        L1ChannelPruner l1 = L1ChannelPruner.builder().build();
        InputType input = InputType.convolutional(FashionMnist.HEIGHT, FashionMnist.WIDTH, FashionMnist.CHANNELS);
        List<Row> rows = new ArrayList<>();
        for (double w : WIDTHS) {
            inn.resize(w);
            CompressionMetrics m = inn.metrics(input);
            double integral = accuracy(inn.multiLayerNetwork(), testSet);
            double baseline = accuracy((MultiLayerNetwork) l1.prune(discrete, w), testSet);
            rows.add(new Row(w, m, integral, baseline, Double.NaN));
        }
        LOG.info("3. resized without fine-tuning (and the L1 baseline at the same widths)");

        t0 = System.nanoTime();
        inn.resize(1.0);
        MultiLayerNetwork net = inn.multiLayerNetwork();
        net.setListeners(inn.randomPartitions(0.25, false));
        net.fit(train.iterator(BATCH, 11), finetuneEpochs);
        inn.groups().clearTrainingSizes();
        net.setListeners();
        for (int i = 0; i < WIDTHS.length; i++) {
            inn.resize(WIDTHS[i]);
            Row r = rows.get(i);
            rows.set(i, new Row(r.width, r.metrics, r.integral, r.baseline, accuracy(net, testSet)));
        }
        LOG.info("4. fine-tuned with random widths 25-100% ({} epoch(s), {} s)", finetuneEpochs, seconds(t0));

        inn.resize(0.5);
        MultiLayerNetwork small = (MultiLayerNetwork) inn.toDiscrete();
        File smallFile = out.resolve("fashion-cnn-50pct.zip").toFile();
        File innFile = out.resolve("fashion-cnn-integral.zip").toFile();
        ModelSerializer.writeModel(small, smallFile, false);
        inn.save(innFile);
        double smallAccuracy = accuracy(small, testSet);
        LOG.info("5. exported the 50% network: {} parameters (source {}), accuracy {}; wrote {} and {}",
                small.numParams(), discrete.numParams(), pct(smallAccuracy), smallFile, innFile);

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%-7s %12s %12s %12s %12s %14s%n", "width", "params", "MACs",
                "INN", "L1 baseline", "INN finetuned"));
        for (Row r : rows) {
            table.append(String.format(Locale.ROOT, "%6.0f%% %11.1f%% %11.1f%% %11.2f%% %11.2f%% %13.2f%%%n",
                    100 * r.width, 100 * r.metrics.paramRatio(), 100 * r.metrics.macRatio(), 100 * r.integral,
                    100 * r.baseline, 100 * r.finetuned));
        }
        table.append(String.format(Locale.ROOT, "discrete CNN: %.2f%%, integral at full size right after conversion: "
                + "%.2f%%%n", 100 * discreteAccuracy, 100 * innAccuracy));
        LOG.info("Fashion-MNIST test accuracy by width (parameters and MACs relative to the full network):{}", table);
        Files.writeString(out.resolve("results.txt"), table.toString());
    }

    private record Row(double width, CompressionMetrics metrics, double integral, double baseline, double finetuned) {
    }

    private static double accuracy(MultiLayerNetwork net, DataSet testSet) {
        Evaluation eval = new Evaluation(FashionMnist.NUM_CLASSES);
        INDArray features = testSet.getFeatures();
        int n = (int) features.size(0);
        for (int i = 0; i < n; i += 500) {
            int to = Math.min(n, i + 500);
            DataSet batch = (DataSet) testSet.getRange(i, to);
            eval.eval(batch.getLabels(), net.output(batch.getFeatures()));
        }
        return eval.accuracy();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String seconds(long t0) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Usage: FashionMnistPipeline [--epochs N] [--finetune-epochs N] "
                        + "[--train N] [--out DIR]; got '" + args[i] + "'.");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
