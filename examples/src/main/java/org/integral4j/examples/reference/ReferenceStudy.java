package org.integral4j.examples.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.data.FashionMnistIterator;
import org.integral4j.examples.report.Accuracy;
import org.integral4j.examples.report.Charts;
import org.integral4j.examples.report.CsvTable;
import org.integral4j.examples.report.Options;
import org.integral4j.examples.report.Progress;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.integral4j.layers.OneDnn;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference study: TorchIntegral's MNIST set-up on Fashion-MNIST, so that Integral4J can be
 * compared with TorchIntegral's numbers on the same task.
 *
 * <p>Per seed: train {@link ReferenceNet} as a plain network for 5 epochs (Adam, batch 128, step
 * 1e-2 for 3 epochs and 2e-3 after, TorchIntegral's example schedule), convert it, train the integral
 * network 2 epochs with random widths (every group's size drawn per step between
 * {@code minRatio * C} and {@code C}), then resample all three convolutions without any further
 * training to {@code r = 1, 0.75, 0.5, 0.4, 0.3} of their width and measure test accuracy; beside
 * it the discrete network pruned by L1 channel selection at the same widths, and the integral
 * network right after conversion (no random-width training) resampled the same way. The table is
 * the mean over the seeds.
 *
 * <p>Options: {@code --seeds N} (3), {@code --epochs N} (5), {@code --inn-epochs N} (2),
 * {@code --min-ratio R} (0.25), {@code --sizes shared|independent} (shared: one ratio per step for all
 * groups, {@link SharedRatioSizes}; independent: each group drawn on its own, as TorchIntegral does),
 * {@code --dist uniform|normal} (for independent sizes; uniform), {@code --multiple M} (for
 * independent sizes: every draw rounded up to a multiple of M, the width buckets that make
 * random-width steps cheaper; 1), {@code --inn-lr A,B}
 * (step sizes of the random-width epochs, 2e-3,4e-4), {@code --train N} (all 60,000),
 * {@code --out DIR} (target/reference-study). Needs the full data set
 * ({@code apt-get install dataset-fashion-mnist}); with the embedded subset it runs but the numbers
 * are not comparable.
 */
public final class ReferenceStudy {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceStudy.class);
    /** The width ratios evaluated. */
    static final double[] RATIOS = {1.0, 0.75, 0.5, 0.4, 0.3};
    /** TorchIntegral's numbers on this set-up (test accuracy %, mean of 3 seeds), sizes in [0.5C, C]. */
    static final double[] TORCH_INTEGRAL_HALF = {82.5, 81.8, 79.3, 54.9, 40.0};
    /** The same, sizes in [0.25C, C]. */
    static final double[] TORCH_INTEGRAL_QUARTER = {81.1, 80.3, 78.0, 75.2, 69.4};
    /** The same, L1 channel selection. */
    static final double[] TORCH_L1 = {82.7, 80.9, 45.0, 23.8, 16.2};
    private static final int BATCH = 128;
    private static final int DISCRETE_HIGH_LR_EPOCHS = 3;
    private static final double DISCRETE_LOW_LR = 2e-3;

    private ReferenceStudy() {
    }

    /** Accuracies of one seed, each indexed like {@link #RATIOS}. */
    record SeedResult(long seed, double discrete, double convertedFull, double[] l1, double[] converted,
                      double[] trained) {
    }

    /**
     * Runs the study and writes {@code results.csv}, {@code results.md} and {@code accuracy.png}.
     *
     * @param args see the class comment
     * @throws IOException when the data or the output folder cannot be used
     */
    public static void main(String[] args) throws IOException {
        Options o = new Options(args, Set.of("seeds", "epochs", "inn-epochs", "min-ratio", "dist", "sizes", "inn-lr",
                "train", "out", "multiple"), "ReferenceStudy [--seeds N] [--epochs N] [--inn-epochs N] [--min-ratio R] "
                + "[--sizes shared|independent] [--dist uniform|normal] [--multiple M] [--inn-lr A,B] [--train N] [--out DIR]");
        int seeds = o.getInt("seeds", 3);
        int epochs = o.getInt("epochs", 5);
        int innEpochs = o.getInt("inn-epochs", 2);
        double minRatio = o.getDouble("min-ratio", 0.25);
        boolean normal = switch (o.get("dist", "uniform")) {
            case "uniform" -> false;
            case "normal" -> true;
            default -> throw new IllegalArgumentException("--dist must be uniform or normal, got " + o.get("dist", ""));
        };
        boolean shared = switch (o.get("sizes", "shared")) {
            case "shared" -> true;
            case "independent" -> false;
            default -> throw new IllegalArgumentException("--sizes must be shared or independent, got "
                    + o.get("sizes", ""));
        };
        int multiple = o.getInt("multiple", 1);
        if (multiple < 1 || (multiple > 1 && shared)) {
            throw new IllegalArgumentException("--multiple must be at least 1, and above 1 only with --sizes independent "
                    + "(it quantizes each group's own draws); got " + multiple + " with --sizes "
                    + (shared ? "shared" : "independent"));
        }
        double[] innLr = Arrays.stream(o.get("inn-lr", "2e-3,4e-4").split(",")).mapToDouble(Double::parseDouble)
                .toArray();
        Path out = Path.of(o.get("out", "target/reference-study"));
        Files.createDirectories(out);
        System.setProperty("java.awt.headless", "true");
        OneDnn.enableForDl4jLayers();

        FashionMnist source = FashionMnist.locate();
        if (source.isEmbedded()) {
            LOG.warn("the full Fashion-MNIST was not found: running on the embedded subset, whose numbers are NOT "
                    + "comparable with TorchIntegral's (apt-get install dataset-fashion-mnist)");
        }
        FashionMnistData train = source.train();
        if (o.has("train")) {
            train = train.stratifiedSubset(o.getInt("train", train.size()), 1);
        }
        DataSet test = source.test().toDataSet();
        SCALE.preProcess(test);
        LOG.info("reference study: {} training / {} test images, {} seed(s), {} + {} epochs, sizes in [{}C, C] ({}), "
                + "integral step sizes {}", train.size(), test.numExamples(), seeds, epochs, innEpochs, minRatio,
                shared ? "one uniform ratio per step shared by all groups" : (normal ? "half-normal" : "uniform")
                        + " per group" + (multiple > 1 ? ", in multiples of " + multiple : ""), Arrays.toString(innLr));

        List<SeedResult> results = new ArrayList<>();
        CsvTable perSeed = new CsvTable("seed", "method", "r", "accuracy");
        for (int s = 0; s < seeds; s++) {
            SeedResult r = runSeed(s + 1, train, test, epochs, innEpochs, minRatio, normal, shared, multiple, innLr);
            results.add(r);
            perSeed.add(r.seed(), "discrete", 1.0, r.discrete());
            perSeed.add(r.seed(), "INN after conversion", 1.0, r.convertedFull());
            for (int i = 0; i < RATIOS.length; i++) {
                perSeed.add(r.seed(), "L1 channel selection", RATIOS[i], r.l1()[i]);
                perSeed.add(r.seed(), "INN converted, resampled", RATIOS[i], r.converted()[i]);
                perSeed.add(r.seed(), "INN random-width trained, resampled", RATIOS[i], r.trained()[i]);
            }
            perSeed.writeCsv(out.resolve("per-seed.csv"));
        }
        report(results, out, minRatio, innEpochs, (shared ? "one ratio per step for all groups" : normal
                ? "each group half-normal" : "each group uniform") + (multiple > 1 ? ", multiples of " + multiple : ""));
    }

    /** Scales pixels from [0, 1] to [-1, 1], as TorchIntegral's {@code Normalize((0.5,), (0.5,))}. */
    static final DataSetPreProcessor SCALE = ds -> ds.getFeatures().muli(2).subi(1);

    static SeedResult runSeed(long seed, FashionMnistData train, DataSet test, int epochs, int innEpochs,
                              double minRatio, boolean normal, boolean shared, int multiple, double[] innLr) {
        FashionMnistIterator it = FashionMnistIterator.builder(train).setBatchSize(BATCH).optShuffle(seed)
                .optPreProcessor(SCALE).build();
        int batches = it.batchesPerEpoch();
        MultiLayerNetwork discrete = ReferenceNet.discrete(seed);
        int high = Math.min(epochs, DISCRETE_HIGH_LR_EPOCHS);
        fit(discrete, it, high, "seed " + seed + " discrete (lr 1e-2)", batches);
        if (epochs > high) {
            discrete.setLearningRate(DISCRETE_LOW_LR);
            fit(discrete, it, epochs - high, "seed " + seed + " discrete (lr 2e-3)", batches);
        }
        double discreteAcc = Accuracy.of(discrete, test);
        LOG.info("seed {}: discrete network {}", seed, pct(discreteAcc));

        IntegralModel inn;
        try (Progress.ConversionBar bar = Progress.conversion("seed " + seed + " conversion")) {
            inn = IntegralWrapper.builder().seed(seed).listener(bar).build().wrapModel(discrete);
        }
        MultiLayerNetwork net = inn.multiLayerNetwork();
        double convertedFull = Accuracy.of(net, test);
        LOG.info("seed {}: integral network right after conversion {} (discrete {}), groups {}", seed,
                pct(convertedFull), pct(discreteAcc), inn.sizes());

        L1ChannelPruner l1 = L1ChannelPruner.builder().build();
        double[] l1Acc = new double[RATIOS.length];
        double[] convertedAcc = new double[RATIOS.length];
        for (int i = 0; i < RATIOS.length; i++) {
            l1Acc[i] = Accuracy.of((MultiLayerNetwork) l1.prune(discrete, RATIOS[i]), test);
            inn.resize(RATIOS[i]);
            convertedAcc[i] = Accuracy.of(net, test);
        }
        inn.resize(1.0);

        TrainingListener sizes = shared ? new SharedRatioSizes(inn.groups(), minRatio, seed)
                : inn.randomPartitions(minRatio, normal);
        if (multiple > 1) {
            inn.groups().setDistributions(minRatio, normal, multiple);
        }
        for (int e = 0; e < innEpochs; e++) {
            double lr = innLr[Math.min(e, innLr.length - 1)];
            net.setLearningRate(lr);
            net.setListeners(sizes,
                    Progress.epochs(String.format(Locale.ROOT, "seed %d random widths (lr %.0e)", seed, lr), batches, 1));
            net.fit(it, 1);
        }
        net.setListeners();
        inn.groups().clearTrainingSizes();
        double[] trainedAcc = new double[RATIOS.length];
        for (int i = 0; i < RATIOS.length; i++) {
            inn.resize(RATIOS[i]);
            trainedAcc[i] = Accuracy.of(net, test);
        }
        inn.resize(1.0);
        LOG.info("seed {}: r={} L1 {} | converted {} | random-width trained {}", seed, Arrays.toString(RATIOS),
                pcts(l1Acc), pcts(convertedAcc), pcts(trainedAcc));
        return new SeedResult(seed, discreteAcc, convertedFull, l1Acc, convertedAcc, trainedAcc);
    }

    private static void fit(MultiLayerNetwork net, FashionMnistIterator it, int epochs, String task, int batches) {
        net.setListeners(Progress.epochs(task, batches, epochs));
        net.fit(it, epochs);
        net.setListeners();
    }

    static void report(List<SeedResult> results, Path out, double minRatio, int innEpochs, String schedule)
            throws IOException {
        int n = results.size();
        double discrete = results.stream().mapToDouble(SeedResult::discrete).average().orElse(Double.NaN);
        double convertedFull = results.stream().mapToDouble(SeedResult::convertedFull).average().orElse(Double.NaN);
        double maxGap = results.stream().mapToDouble(r -> Math.abs(r.convertedFull() - r.discrete())).max()
                .orElse(Double.NaN);
        double[] l1 = mean(results, SeedResult::l1);
        double[] converted = mean(results, SeedResult::converted);
        double[] trained = mean(results, SeedResult::trained);

        CsvTable table = new CsvTable("method", "r=1.0", "r=0.75", "r=0.5", "r=0.4", "r=0.3");
        table.add(row("L1 channel selection (Integral4J)", l1));
        table.add(row("INN right after conversion, resampled (Integral4J)", converted));
        String trainedName = String.format(Locale.ROOT, "INN, %d epoch%s random widths in [%.2gC, C], %s (Integral4J)",
                innEpochs, innEpochs == 1 ? "" : "s", minRatio, schedule);
        table.add(row(trainedName, trained));
        table.add(row("L1 channel selection (TorchIntegral set-up, as measured)", TORCH_L1));
        table.add(row("TorchIntegral, sizes in [0.5C, C]", TORCH_INTEGRAL_HALF));
        table.add(row("TorchIntegral, sizes in [0.25C, C]", TORCH_INTEGRAL_QUARTER));
        table.writeCsv(out.resolve("results.csv"));
        String md = table.toMarkdown(1) + String.format(Locale.ROOT,
                "%nMean of %d seed(s). Discrete network %.2f%%; integral network right after conversion %.2f%% "
                        + "(largest per-seed difference %.3f points).%n", n, 100 * discrete, 100 * convertedFull,
                100 * maxGap);
        Files.writeString(out.resolve("results.md"), md);
        LOG.info("Fashion-MNIST test accuracy (%), TorchIntegral's MNIST network, all three convolutions resampled:\n{}",
                md);

        List<Charts.Series> series = List.of(
                new Charts.Series("Integral4J INN, random-width trained", RATIOS, scale(trained)),
                new Charts.Series("Integral4J INN, right after conversion", RATIOS, scale(converted)),
                new Charts.Series("Integral4J L1 channel selection", RATIOS, scale(l1)),
                new Charts.Series("TorchIntegral, sizes in [0.25C, C]", RATIOS, TORCH_INTEGRAL_QUARTER),
                new Charts.Series("TorchIntegral, sizes in [0.5C, C]", RATIOS, TORCH_INTEGRAL_HALF));
        Charts.writePng(Charts.lines("Fashion-MNIST, TorchIntegral's MNIST network, resampled without fine-tuning",
                "width ratio r of every convolution", "test accuracy (%)", series), out.resolve("accuracy.png"));
        LOG.info("wrote {}, {}, {} and per-seed.csv", out.resolve("results.csv"), out.resolve("results.md"),
                out.resolve("accuracy.png"));
    }

    private static Object[] row(String name, double[] values) {
        Object[] r = new Object[values.length + 1];
        r[0] = name;
        for (int i = 0; i < values.length; i++) {
            r[i + 1] = values[i] > 1.0 ? values[i] : 100 * values[i];
        }
        return r;
    }

    private static double[] mean(List<SeedResult> results, java.util.function.Function<SeedResult, double[]> f) {
        double[] m = new double[RATIOS.length];
        for (SeedResult r : results) {
            for (int i = 0; i < m.length; i++) {
                m[i] += f.apply(r)[i] / results.size();
            }
        }
        return m;
    }

    private static double[] scale(double[] fractions) {
        return Arrays.stream(fractions).map(v -> 100 * v).toArray();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String pcts(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", 100 * v[i]));
        }
        return sb.append(']').toString();
    }
}
