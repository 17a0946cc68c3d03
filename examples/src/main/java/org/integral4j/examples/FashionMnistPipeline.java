package org.integral4j.examples;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.data.FashionMnistIterator;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.examples.report.Accuracy;
import org.integral4j.examples.report.Charts;
import org.integral4j.examples.report.CsvTable;
import org.integral4j.examples.report.Options;
import org.integral4j.examples.report.Progress;
import org.integral4j.layers.OneDnn;
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
 * <p>Arguments (all optional): {@code --data auto|embedded} ({@code auto}: the full data when
 * installed, else the embedded subset; {@code embedded}: the subset always), {@code --epochs N}
 * (discrete training; default 2 on the full data, 5 on the subset), {@code --finetune-epochs N}
 * (default 1 on the full data, 3 on the subset), {@code --train N} (training images, default all),
 * {@code --out DIR} (default {@code target/pipeline}). Long phases show progress bars on a terminal
 * and log lines otherwise ({@link Progress}). Writes {@code results.txt}, {@code results.csv},
 * {@code accuracy.png} and the two models to the output folder.
 */
public final class FashionMnistPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistPipeline.class);
    private static final double[] WIDTHS = {1.0, 0.75, 0.5, 0.35, 0.25};
    private static final int BATCH = 64;
    /** Discrete training epochs on the full data (default). */
    static final int FULL_EPOCHS = 2;
    /** Random-width fine-tuning epochs on the full data (default). */
    static final int FULL_FINETUNE_EPOCHS = 1;
    /** Discrete training epochs on the embedded 10,000-image subset (default): about as many steps in all. */
    static final int EMBEDDED_EPOCHS = 5;
    /** Random-width fine-tuning epochs on the embedded subset (default). */
    static final int EMBEDDED_FINETUNE_EPOCHS = 3;
    /** Smallest width drawn during random-width fine-tuning. */
    static final double FINETUNE_MIN_RATIO = 0.25;

    private FashionMnistPipeline() {
    }

    /**
     * Runs the pipeline.
     *
     * @param args see the class comment
     * @throws IOException when the data or the output directory cannot be used
     */
    public static void main(String[] args) throws IOException {
        Options opts = new Options(args, Set.of("epochs", "finetune-epochs", "train", "out", "data"),
                "FashionMnistPipeline [--data auto|embedded] [--epochs N] [--finetune-epochs N] [--train N] [--out DIR]");
        Path out = Path.of(opts.get("out", "target/pipeline"));
        Files.createDirectories(out);
        System.setProperty("java.awt.headless", "true");
        OneDnn.enableForDl4jLayers();

        FashionMnist source = switch (opts.get("data", "auto")) {
            case "auto" -> FashionMnist.locate();
            case "embedded" -> FashionMnist.embedded();
            default -> throw new IllegalArgumentException("--data must be auto or embedded, got " + opts.get("data", ""));
        };
        int epochs = opts.getInt("epochs", source.isEmbedded() ? EMBEDDED_EPOCHS : FULL_EPOCHS);
        int finetuneEpochs = opts.getInt("finetune-epochs",
                source.isEmbedded() ? EMBEDDED_FINETUNE_EPOCHS : FULL_FINETUNE_EPOCHS);
        FashionMnistData train = source.load(FashionMnist.Split.TRAIN);
        if (opts.has("train")) {
            train = train.stratifiedSubset(opts.getInt("train", train.size()), 1);
        }
        FashionMnistData test = source.load(FashionMnist.Split.TEST);
        DataSet testSet = test.toDataSet();
        LOG.info("data: {} training and {} test images ({}); {} epoch(s), {} fine-tuning epoch(s)", train.size(),
                test.size(), source.sourceKind(), epochs, finetuneEpochs);

        long t0 = System.nanoTime();
        MultiLayerNetwork discrete = SmallCnn.discrete(42);
        FashionMnistIterator trainIt = train.iterator(BATCH, 7);
        discrete.setListeners(Progress.epochs("1. discrete CNN", trainIt.batchesPerEpoch(), epochs));
        discrete.fit(trainIt, epochs);
        discrete.setListeners();
        double discreteAccuracy = Accuracy.of(discrete, testSet);
        LOG.info("1. discrete CNN trained ({} epochs, {} s): test accuracy {}", epochs, seconds(t0),
                pct(discreteAccuracy));

        t0 = System.nanoTime();
        IntegralModel inn;
        try (Progress.ConversionBar bar = Progress.conversion("2. conversion")) {
            inn = IntegralWrapper.builder().listener(bar).build().wrapModel(discrete);
        }
        String conversionSeconds = seconds(t0);
        double innAccuracy = Accuracy.of(inn.multiLayerNetwork(), testSet);
        LOG.info("2. converted in {} s; groups {}; integral network at full size: accuracy {}", conversionSeconds,
                inn.sizes(), pct(innAccuracy));

        L1ChannelPruner l1 = L1ChannelPruner.builder().build();
        InputType input = InputType.convolutional(FashionMnist.HEIGHT, FashionMnist.WIDTH, FashionMnist.CHANNELS);
        List<Row> rows = new ArrayList<>();
        try (Progress.Steps steps = Progress.steps("3. resize and L1 baseline", WIDTHS.length)) {
            for (double w : WIDTHS) {
                inn.resize(w);
                CompressionMetrics m = inn.metrics(input);
                double integral = Accuracy.of(inn.multiLayerNetwork(), testSet);
                double baseline = Accuracy.of((MultiLayerNetwork) l1.prune(discrete, w), testSet);
                rows.add(new Row(w, m, integral, baseline, Double.NaN));
                steps.step(String.format(Locale.ROOT, "width %.0f%%", 100 * w));
            }
        }
        LOG.info("3. resized without fine-tuning (and the L1 baseline at the same widths)");

        t0 = System.nanoTime();
        inn.resize(1.0);
        MultiLayerNetwork net = inn.multiLayerNetwork();
        FashionMnistIterator finetuneIt = train.iterator(BATCH, 11);
        net.setListeners(inn.randomPartitions(FINETUNE_MIN_RATIO, false),
                Progress.epochs("4. random-width fine-tuning", finetuneIt.batchesPerEpoch(), finetuneEpochs));
        net.fit(finetuneIt, finetuneEpochs);
        inn.groups().clearTrainingSizes();
        net.setListeners();
        for (int i = 0; i < WIDTHS.length; i++) {
            inn.resize(WIDTHS[i]);
            Row r = rows.get(i);
            rows.set(i, new Row(r.width, r.metrics, r.integral, r.baseline, Accuracy.of(net, testSet)));
        }
        LOG.info("4. fine-tuned with random widths 25-100% ({} epoch(s), {} s)", finetuneEpochs, seconds(t0));

        inn.resize(0.5);
        MultiLayerNetwork small = (MultiLayerNetwork) inn.toDiscrete();
        File smallFile = out.resolve("fashion-cnn-50pct.zip").toFile();
        File innFile = out.resolve("fashion-cnn-integral.zip").toFile();
        ModelSerializer.writeModel(small, smallFile, false);
        inn.save(innFile);
        double smallAccuracy = Accuracy.of(small, testSet);
        LOG.info("5. exported the 50% network: {} parameters (source {}), accuracy {}; wrote {} and {}",
                small.numParams(), discrete.numParams(), pct(smallAccuracy), smallFile, innFile);

        writeResults(out, rows, discreteAccuracy, innAccuracy, source, train.size(), test.size(), epochs,
                finetuneEpochs);
    }

    /**
     * Writes {@code results.txt} (the table as text), {@code results.csv} and {@code accuracy.png}
     * (test accuracy against the share of parameters kept).
     */
    private static void writeResults(Path out, List<Row> rows, double discreteAccuracy, double innAccuracy,
                                     FashionMnist source, int trainSize, int testSize, int epochs, int finetuneEpochs)
            throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%-7s %12s %12s %12s %12s %14s%n", "width", "params", "MACs",
                "INN", "L1 baseline", "INN finetuned"));
        CsvTable csv = new CsvTable("width", "params_pct", "macs_pct", "inn_no_training_pct", "l1_channel_selection_pct",
                "inn_random_width_finetuned_pct");
        double[] params = new double[rows.size()];
        double[] integral = new double[rows.size()];
        double[] baseline = new double[rows.size()];
        double[] finetuned = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            table.append(String.format(Locale.ROOT, "%6.0f%% %11.1f%% %11.1f%% %11.2f%% %11.2f%% %13.2f%%%n",
                    100 * r.width, 100 * r.metrics.paramRatio(), 100 * r.metrics.macRatio(), 100 * r.integral,
                    100 * r.baseline, 100 * r.finetuned));
            csv.add(r.width, 100 * r.metrics.paramRatio(), 100 * r.metrics.macRatio(), 100 * r.integral,
                    100 * r.baseline, 100 * r.finetuned);
            params[i] = 100 * r.metrics.paramRatio();
            integral[i] = 100 * r.integral;
            baseline[i] = 100 * r.baseline;
            finetuned[i] = 100 * r.finetuned;
        }
        table.append(String.format(Locale.ROOT, "discrete CNN: %.2f%%, integral at full size right after conversion: "
                + "%.2f%%%n", 100 * discreteAccuracy, 100 * innAccuracy));
        LOG.info("Fashion-MNIST test accuracy by width (parameters and MACs relative to the full network):{}", table);
        Files.writeString(out.resolve("results.txt"), table.toString());
        csv.writeCsv(out.resolve("results.csv"));
        String data = source.isEmbedded()
                ? String.format(Locale.ROOT, "embedded subset, %d/%d images", trainSize, testSize)
                : String.format(Locale.ROOT, "%d/%d images", trainSize, testSize);
        Charts.writePng(Charts.lines(String.format(Locale.ROOT, "Small CNN on Fashion-MNIST (%s, %d+%d epochs)", data,
                        epochs, finetuneEpochs), "parameters kept (% of the full network)", "test accuracy (%)",
                List.of(new Charts.Series("INN after random-width fine-tuning", params, finetuned),
                        new Charts.Series("INN resampled, no training", params, integral),
                        new Charts.Series("L1 channel selection, no training", params, baseline))),
                out.resolve("accuracy.png"));
        LOG.info("wrote {}, {} and {}", out.resolve("results.txt"), out.resolve("results.csv"),
                out.resolve("accuracy.png"));
    }

    private record Row(double width, CompressionMetrics metrics, double integral, double baseline, double finetuned) {
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String seconds(long t0) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
    }
}
