package org.integral4j.examples.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.convert.budget.Budget;
import org.integral4j.convert.budget.BudgetResult;
import org.integral4j.convert.calibration.CalibratedNetwork;
import org.integral4j.convert.calibration.Calibration;
import org.integral4j.convert.calibration.CalibrationOptions;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.layers.OneDnn;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calibration study: pruning without training on three network shapes trained on the full
 * Fashion-MNIST training set ({@link StudyNetworks}: the example CNN, a ResNet-style graph with
 * batch norms and residual additions, a branch-and-concatenate graph with batch norms), several
 * seeds, several widths. Test accuracy (10,000 test images) of:
 * <ul>
 *   <li>{@code inn}: the converted integral network resampled at the width;</li>
 *   <li>{@code inn+cal}: the same with calibration (batch-norm statistics + least squares, 512
 *       unlabeled training images);</li>
 *   <li>{@code l1}: L1 channel selection at the width; {@code l1+cal}: with the same calibration;</li>
 *   <li>{@code inn+place+cal}: the integral network with its grid points placed on the full
 *       channels with the largest folded weights (grid placement by weights), then the same
 *       calibration;</li>
 *   <li>{@code inn+bplace+cal}: grid placement's default, the uniform grid or the grid placed by
 *       weights or by contribution energy on the calibration inputs, whichever calibrates closest
 *       to the full network on held-out inputs; {@code inn+aplace+cal} (only with
 *       {@code --methods}): placed by contribution energy;</li>
 *   <li>{@code budget+cal}: sizes chosen by {@code resizeToBudget} for the MACs of the uniform
 *       width (candidates compared after the same calibration), calibrated the same way;</li>
 *   <li>ablations (seeds in {@code --ablation-seeds}): {@code inn+bn}, {@code l1+bn} (batch norms
 *       only); seeds in {@code --grid-seeds} (default none, it is slow): {@code inn+grid+cal} (grid
 *       tuning by distillation first).</li>
 * </ul>
 * Writes {@code results.csv} (one row per measurement), {@code summary.md} (means over seeds) and
 * {@code accuracy.png} (XChart) to the output directory.
 *
 * <p>Arguments (all optional): {@code --networks cnn,resnet,branch}, {@code --seeds 1,2,3},
 * {@code --widths 0.75,0.5,0.4,0.3}, {@code --epochs 1}, {@code --calibration 512},
 * {@code --ablation-seeds 1}, {@code --grid-seeds} (none), {@code --test N} (test images, a
 * stratified subset; default all 10,000), {@code --train N} (training images, a stratified subset;
 * default all 60,000), {@code --methods inn,inn+cal,inn+place+cal,inn+bplace+cal,l1,l1+cal,budget+cal}
 * (which of the methods to run, {@code inn+aplace+cal} too; ablations follow their seed options),
 * {@code --out target/calibration-study}; {@code --merge a.csv,b.csv} only merges earlier runs' results into one summary and plot.
 */
public final class CalibrationStudy {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationStudy.class);

    /** Methods in table order. */
    static final List<String> METHODS = List.of("inn", "inn+cal", "l1", "l1+cal", "budget+cal", "inn+place+cal",
            "inn+aplace+cal", "inn+bplace+cal", "inn+bn", "l1+bn", "inn+grid+cal");

    /** The grid-placement methods and their criteria. */
    private static final List<Map.Entry<String, CalibrationOptions.PlacementCriterion>> PLACEMENTS = List.of(
            Map.entry("inn+place+cal", CalibrationOptions.PlacementCriterion.WEIGHTS),
            Map.entry("inn+aplace+cal", CalibrationOptions.PlacementCriterion.ACTIVATIONS),
            Map.entry("inn+bplace+cal", CalibrationOptions.PlacementCriterion.BEST));

    private CalibrationStudy() {
    }

    /** One measurement. */
    record Row(String network, long seed, double width, double params, double macs, String method, double accuracy,
               double seconds, String sizes) {
    }

    /**
     * Runs the study.
     *
     * @param args see the class comment
     * @throws IOException when data or output fail
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        List<String> networks = List.of(o.getOrDefault("networks", "cnn,resnet,branch").split(","));
        List<Long> seeds = longs(o.getOrDefault("seeds", "1,2,3"));
        List<Long> ablationSeeds = longs(o.getOrDefault("ablation-seeds", "1"));
        List<Long> gridSeeds = longs(o.getOrDefault("grid-seeds", ""));
        List<String> methods = List.of(o.getOrDefault("methods",
                "inn,inn+cal,inn+place+cal,inn+bplace+cal,l1,l1+cal,budget+cal")
                .split(","));
        double[] widths = doubles(o.getOrDefault("widths", "0.75,0.5,0.4,0.3"));
        int epochs = Integer.parseInt(o.getOrDefault("epochs", "1"));
        int calibrationSize = Integer.parseInt(o.getOrDefault("calibration", "512"));
        Path out = Path.of(o.getOrDefault("out", "target/calibration-study"));
        Files.createDirectories(out);
        if (o.containsKey("merge")) {
            merge(o.get("merge"), widths, out);
            return;
        }
        OneDnn.enableForDl4jLayers();

        FashionMnist source = FashionMnist.locate();
        FashionMnistData train = source.load(FashionMnist.Split.TRAIN);
        if (o.containsKey("train") && Integer.parseInt(o.get("train")) < train.size()) {
            train = train.stratifiedSubset(Integer.parseInt(o.get("train")), 1);
        }
        FashionMnistData testData = source.load(FashionMnist.Split.TEST);
        int testSize = Integer.parseInt(o.getOrDefault("test", String.valueOf(testData.size())));
        DataSet test = (testSize >= testData.size() ? testData : testData.stratifiedSubset(testSize, 1)).toDataSet();
        InputType input = InputType.convolutional(FashionMnist.HEIGHT, FashionMnist.WIDTH, FashionMnist.CHANNELS);
        List<Row> rows = new ArrayList<>();
        Path csv = out.resolve("results.csv");
        for (String name : networks) {
            for (long seed : seeds) {
                Model net = StudyNetworks.trained(StudyNetworks.Shape.of(name), seed, epochs, train,
                        out.resolve("models"));
                INDArray x = train.randomSubset(calibrationSize, 1000 + seed).features();
                CalibrationOptions cal = CalibrationOptions.builder().seed(seed).build();
                double full = accuracy(net, test);
                rows.add(new Row(name, seed, 1.0, 1.0, 1.0, "full", full, 0, ""));
                IntegralModel inn = IntegralWrapper.builder().seed(seed).build().wrapModel(net);
                L1ChannelPruner l1 = L1ChannelPruner.builder().build();
                boolean ablate = ablationSeeds.contains(seed);
                boolean tuneGrids = gridSeeds.contains(seed);
                for (double w : widths) {
                    inn.resize(w);
                    CompressionMetrics m = inn.metrics(input);
                    String sizes = inn.sizes().toString().replace(',', ';');
                    if (methods.contains("inn")) {
                        rows.add(row(name, seed, w, m, "inn", accuracy(inn.network(), test), 0, sizes));
                    }
                    if (methods.contains("inn+cal")) {
                        CalibratedNetwork c = Calibration.calibrate(inn, x, cal);
                        rows.add(row(name, seed, w, m, "inn+cal", accuracy(c.network(), test), c.seconds(), sizes));
                    }
                    for (Map.Entry<String, CalibrationOptions.PlacementCriterion> p : PLACEMENTS) {
                        if (methods.contains(p.getKey())) {
                            CalibratedNetwork cp = Calibration.calibrate(inn, x, cal.toBuilder().gridPlacement(true)
                                    .placementCriterion(p.getValue()).build());
                            rows.add(row(name, seed, w, m, p.getKey(), accuracy(cp.network(), test), cp.seconds(),
                                    sizes));
                        }
                    }
                    Map<String, Integer> uniform = l1.uniformSizes(net, w);
                    if (methods.contains("l1")) {
                        rows.add(row(name, seed, w, m, "l1", accuracy(l1.prune(net, uniform), test), 0, sizes));
                    }
                    if (methods.contains("l1+cal")) {
                        CalibratedNetwork lc = Calibration.calibrateL1(l1, net, uniform, x, cal);
                        rows.add(row(name, seed, w, m, "l1+cal", accuracy(lc.network(), test), lc.seconds(), sizes));
                    }
                    if (methods.contains("budget+cal")) {
                        IntegralModel budgeted = inn.copy();
                        long t0 = System.nanoTime();
                        BudgetResult b = budgeted.resizeToBudget(Budget.macs(m.macRatio()), x, cal, input);
                        double searchSeconds = (System.nanoTime() - t0) / 1e9;
                        CompressionMetrics bm = budgeted.metrics(input);
                        CalibratedNetwork bc = Calibration.calibrate(budgeted, x, cal);
                        rows.add(row(name, seed, w, bm, "budget+cal", accuracy(bc.network(), test),
                                searchSeconds + bc.seconds(),
                                b.chosen() + " " + b.sizes().toString().replace(',', ';')));
                    }
                    if (ablate) {
                        CalibrationOptions bn = cal.toBuilder().reconstruction(false).build();
                        CalibratedNetwork ib = Calibration.calibrate(inn, x, bn);
                        rows.add(row(name, seed, w, m, "inn+bn", accuracy(ib.network(), test), ib.seconds(), sizes));
                        CalibratedNetwork lb = Calibration.calibrateL1(l1, net, uniform, x, bn);
                        rows.add(row(name, seed, w, m, "l1+bn", accuracy(lb.network(), test), lb.seconds(), sizes));
                    }
                    if (tuneGrids) {
                        CalibratedNetwork ig = Calibration.calibrate(inn, x, cal.toBuilder().gridTuning(true).build());
                        rows.add(row(name, seed, w, m, "inn+grid+cal", accuracy(ig.network(), test), ig.seconds(),
                                sizes));
                    }
                    LOG.info("{} seed {} width {}: {}", name, seed, w, rows.subList(Math.max(0, rows.size() - 8),
                            rows.size()));
                    writeCsv(csv, rows);
                }
            }
        }
        writeCsv(csv, rows);
        String summary = StudyReport.summary(rows, widths);
        Files.writeString(out.resolve("summary.md"), summary);
        StudyReport.plot(rows, networks, widths, out.resolve("accuracy.png"));
        LOG.info("calibration study done; wrote {}, summary.md and accuracy.png:\n{}", csv, summary);
    }

    /** Reads earlier runs' {@code results.csv} files and writes the summary and plot of all of them. */
    private static void merge(String files, double[] widths, Path out) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> networks = new ArrayList<>();
        for (String f : files.split(",")) {
            List<String> lines = Files.readAllLines(Path.of(f.trim()));
            for (String line : lines.subList(1, lines.size())) {
                String[] p = line.split(",", 9);
                rows.add(new Row(p[0], Long.parseLong(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]),
                        Double.parseDouble(p[4]), p[5], Double.parseDouble(p[6]), Double.parseDouble(p[7]),
                        p[8].replace("\"", "")));
                if (!networks.contains(p[0])) {
                    networks.add(p[0]);
                }
            }
        }
        writeCsv(out.resolve("results.csv"), rows);
        String summary = StudyReport.summary(rows, widths);
        Files.writeString(out.resolve("summary.md"), summary);
        StudyReport.plot(rows, networks, widths, out.resolve("accuracy.png"));
        LOG.info("merged {} rows of {}:\n{}", rows.size(), files, summary);
    }

    private static Row row(String name, long seed, double w, CompressionMetrics m, String method, double acc,
                           double seconds, String sizes) {
        return new Row(name, seed, w, m.paramRatio(), m.macRatio(), method, acc, seconds, sizes);
    }

    static void writeCsv(Path csv, List<Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder("network,seed,width,params,macs,method,accuracy,seconds,sizes\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%.2f,%.4f,%.4f,%s,%.4f,%.2f,\"%s\"%n", r.network(), r.seed(),
                    r.width(), r.params(), r.macs(), r.method(), r.accuracy(), r.seconds(), r.sizes()));
        }
        Files.writeString(csv, sb.toString());
    }

    static double accuracy(Model net, DataSet test) {
        Evaluation eval = new Evaluation(FashionMnist.NUM_CLASSES);
        int n = (int) test.getFeatures().size(0);
        for (int i = 0; i < n; i += 1000) {
            DataSet batch = (DataSet) test.getRange(i, Math.min(n, i + 1000));
            INDArray outp = net instanceof MultiLayerNetwork m ? m.output(batch.getFeatures(), false)
                    : ((ComputationGraph) net).outputSingle(false, batch.getFeatures());
            eval.eval(batch.getLabels(), outp);
        }
        return eval.accuracy();
    }

    private static List<Long> longs(String s) {
        List<Long> out = new ArrayList<>();
        for (String p : s.split(",")) {
            if (!p.isBlank()) {
                out.add(Long.parseLong(p.trim()));
            }
        }
        return out;
    }

    private static double[] doubles(String s) {
        String[] p = s.split(",");
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Double.parseDouble(p[i].trim());
        }
        return v;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Usage: CalibrationStudy [--networks cnn,resnet,branch] "
                        + "[--seeds 1,2,3] [--widths 0.75,0.5,0.4,0.3] [--epochs 1] [--calibration 512] "
                        + "[--ablation-seeds 1] [--grid-seeds S,..] [--test N] [--train N] [--out DIR]; got '" + args[i] + "'.");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
