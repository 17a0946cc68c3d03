package org.integral4j.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.OneDnn;
import org.integral4j.layers.grid.ChannelGroups;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Integral4J and PyTorch side by side on the same networks, in one invocation: the small CNN of the
 * examples (conv 32 - pool - conv 64 - pool - dense 128 - dense 10; batch 64, 28x28x1) and a
 * ResNet-18 ({@link ResNet18ConversionBenchmark#resnet18(long, int, int, org.nd4j.linalg.learning.config.IUpdater)}
 * at 64x64x3, 200 classes, batch 16 by default). Measured per network, float32, Adam, the same thread
 * count on both sides:
 * <ul>
 *   <li>train step (one {@code fit} / zero_grad-forward-backward-step): the plain network (DL4J with
 *       its oneDNN helpers active, checked; PyTorch), the integral network at full size, and the
 *       integral network at random widths (every group drawn uniformly in 50-100% before each step,
 *       as {@link org.integral4j.layers.train.RandomPartitionListener} does; once with every size,
 *       once with sizes in multiples of {@value #BUCKET});</li>
 *   <li>eval (inference forward pass): the plain network, the integral network at full size (cached
 *       sampled weights; and, as a separate row, the first inference after a train step, which
 *       resamples every weight), and the plain networks exported at 50% and 30% width (PyTorch: the
 *       same architecture built at those widths).</li>
 * </ul>
 * The integral networks come from {@link IntegralWrapper} (batch norms kept as integral batch norms,
 * so both sides train the same layers). The Python side is the script shipped in this jar
 * ({@value TorchSide#SCRIPT}), started once and driven line by line so that every round runs each
 * Java case and then each PyTorch case: load that drifts during the run hits both alike. The table
 * gives medians over the measured rounds after warm-up rounds, and ratios of medians; the target
 * lines also give the median of the per-round ratios. When PyTorch is not importable the PyTorch
 * columns are skipped with a note; TorchIntegral is used only when the Python side can import it.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.SideBySideBenchmark -Dbench.args="--rounds 30 --resnet-rounds 10"}.
 * Options: {@code --networks cnn,resnet18}, {@code --rounds N} / {@code --warmup N} (CNN),
 * {@code --resnet-rounds N} / {@code --resnet-warmup N} / {@code --resnet-batch N}, {@code --no-torch};
 * {@code --random-warmup-steps N} / {@code --resnet-random-warmup-steps N} (default 0) run N untimed
 * random-width steps before the rounds, so that the measured ones meet oneDNN's primitive cache as a
 * long training run does (with {@code DNNL_PRIMITIVE_CACHE_CAPACITY} in the environment, see the
 * README);
 * {@code -Dbench.python=/usr/bin/python3} picks the Python executable.
 */
public final class SideBySideBenchmark {

    /** Widths of the exported networks. */
    static final double[] EXPORT_WIDTHS = {0.5, 0.3};
    /** Smallest random width, as a fraction of the full width. */
    static final double RANDOM_MIN_RATIO = 0.5;
    /** Step of the quantized random widths ({@code ChannelGroups.setDistributions(min, normal, multiple)}). */
    static final int BUCKET = 8;

    private static final long SEED = 1;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SideBySideBenchmark() {
    }

    /** One network's settings. */
    private record Spec(String key, String title, int batch, int image, int channels, int classes, int rounds,
                        int warmup, int randomWarmupSteps) {
    }

    /** Wall and process-CPU milliseconds of every measured round of one case. */
    private static final class Series {
        final double[] wall;
        final double[] cpu;

        Series(int rounds) {
            wall = new double[rounds];
            cpu = new double[rounds];
        }

        double median() {
            return Medians.median(wall);
        }

        double meanCpu() {
            double s = 0;
            for (double c : cpu) {
                s += c;
            }
            return s / cpu.length;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args options (see the class documentation)
     * @throws IOException when the PyTorch side fails mid-run
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        List<String> networks = List.of(o.getOrDefault("networks", "cnn,resnet18").split(","));
        int threads = Runtime.getRuntime().availableProcessors();
        boolean onednn = OneDnn.enableForDl4jLayers();
        MultiLayerNetwork probe = SmallCnn.discrete(SEED);
        Object helper = ((ConvolutionLayer) probe.getLayer(0)).getHelper();
        if (!onednn || helper == null) {
            throw new IllegalStateException("DL4J's oneDNN helpers are not active; the comparison would be unfair. "
                    + "Run with -Dorg.eclipse.deeplearning4j.helpers.disable=false (the -Pbench profile does).");
        }
        System.out.printf(Locale.ROOT, "cores %d; ND4J %s; DL4J conv helper %s; OMP_WAIT_POLICY=%s; "
                        + "DNNL_PRIMITIVE_CACHE_CAPACITY=%s; load average %s%n",
                threads, Nd4j.getBackend().getClass().getSimpleName(), helper.getClass().getSimpleName(),
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"),
                System.getenv().getOrDefault("DNNL_PRIMITIVE_CACHE_CAPACITY", "(unset: 1024)"), loadAverage());

        StringBuilder whyNot = new StringBuilder();
        TorchSide torch = o.containsKey("no-torch") ? null
                : TorchSide.start(System.getProperty("bench.python"), threads, whyNot);
        if (o.containsKey("no-torch")) {
            whyNot.append("--no-torch given");
        }
        if (torch == null) {
            System.out.println("NOTE: PyTorch columns skipped: " + whyNot);
        } else {
            JsonNode h = torch.hello();
            System.out.printf(Locale.ROOT, "PyTorch %s (Python %s), %d threads%n", h.path("torch").asText(),
                    h.path("python").asText(), h.path("threads").asInt());
            if (!h.path("torch_integral").asBoolean()) {
                System.out.println("NOTE: TorchIntegral columns skipped: " + h.path("note").asText());
            }
        }
        try {
            for (String n : networks) {
                Spec spec = switch (n.trim()) {
                    case "cnn" -> new Spec("cnn", "small CNN (conv 32 - pool - conv 64 - pool - dense 128 - dense 10)",
                            64, 28, 1, 10, intOption(o, "rounds", 30), intOption(o, "warmup", 10),
                            intOption(o, "random-warmup-steps", 0));
                    case "resnet18" -> new Spec("resnet18", "ResNet-18 at 64x64x3, 200 classes",
                            intOption(o, "resnet-batch", 16), 64, 3, 200, intOption(o, "resnet-rounds", 10),
                            intOption(o, "resnet-warmup", 3), intOption(o, "resnet-random-warmup-steps", 0));
                    default -> throw new IllegalArgumentException("Unknown network '" + n + "'; use cnn or resnet18.");
                };
                runNetwork(spec, torch);
            }
        } finally {
            if (torch != null) {
                torch.close();
            }
        }
        System.out.printf(Locale.ROOT, "%nload average at the end: %s%n", loadAverage());
    }

    private static void runNetwork(Spec spec, TorchSide torch) throws IOException {
        System.out.printf(Locale.ROOT, "%n== %s: batch %d, %dx%dx%d, float32, Adam ==%n", spec.title(), spec.batch(),
                spec.image(), spec.image(), spec.channels());
        Model discrete = spec.key().equals("cnn") ? SmallCnn.discrete(SEED)
                : ResNet18ConversionBenchmark.resnet18(SEED, spec.image(), spec.classes(), new Adam(1e-3));
        long t0 = System.nanoTime();
        IntegralModel inn = IntegralWrapper.builder().fuseBatchNorm(false).seed(SEED).build().wrapModel(discrete);
        System.out.printf(Locale.ROOT, "converted to an integral network in %.1f s (groups %s)%n",
                (System.nanoTime() - t0) / 1e9, inn.sizes());
        Model integral = inn.network();
        ChannelGroups groups = inn.groups();
        groups.setDistributions(RANDOM_MIN_RATIO, false);
        groups.clearTrainingSizes();
        Map<String, Model> exported = new LinkedHashMap<>();
        for (double w : EXPORT_WIDTHS) {
            inn.resize(w);
            exported.put(widthKey(w), inn.toDiscrete());
        }
        // The same 50% export with its batch norms folded into the convolutions (an Integral4J-only
        // row: PyTorch's exports keep their batch norms, like the rows above).
        inn.resize(0.5);
        Model folded = inn.toDiscrete(true);
        boolean hasFolded = folded.numParams() != exported.get(widthKey(0.5)).numParams();
        inn.resize(1.0);

        DataSet ds = BenchTensors.classificationBatch(SEED + 7, spec.batch(), spec.channels(), spec.image(),
                spec.classes());
        INDArray x = ds.getFeatures();

        if (spec.randomWarmupSteps() > 0) {
            // Untimed random-width steps first: the measured steps then meet oneDNN's primitive cache
            // as a training run does after that many steps (it keeps the shapes drawn so far, up to
            // DNNL_PRIMITIVE_CACHE_CAPACITY primitives).
            long w0 = System.nanoTime();
            groups.setDistributions(RANDOM_MIN_RATIO, false, 1);
            for (int i = 0; i < spec.randomWarmupSteps(); i++) {
                groups.drawTrainingSizes();
                fit(integral, ds);
            }
            groups.clearTrainingSizes();
            System.out.printf(Locale.ROOT, "%d untimed random-width steps before the rounds in %.0f s%n",
                    spec.randomWarmupSteps(), (System.nanoTime() - w0) / 1e9);
        }

        Map<String, Runnable> java = new LinkedHashMap<>();
        java.put("train_discrete", () -> fit(discrete, ds));
        java.put("train_integral_full", () -> {
            groups.clearTrainingSizes();
            fit(integral, ds);
        });
        java.put("train_integral_random", () -> {
            groups.setDistributions(RANDOM_MIN_RATIO, false, 1);
            groups.drawTrainingSizes();
            fit(integral, ds);
        });
        java.put("train_integral_random8", () -> {
            groups.setDistributions(RANDOM_MIN_RATIO, false, BUCKET);
            groups.drawTrainingSizes();
            fit(integral, ds);
        });
        java.put("eval_discrete", () -> output(discrete, x));
        // The first inference after a training step resamples every weight (the knots changed);
        // later ones use the cached samples.
        java.put("eval_integral_first", () -> {
            groups.clearTrainingSizes();
            output(integral, x);
        });
        java.put("eval_integral", () -> output(integral, x));
        for (Map.Entry<String, Model> e : exported.entrySet()) {
            java.put("eval_exported_" + e.getKey(), () -> output(e.getValue(), x));
        }
        if (hasFolded) {
            java.put("eval_exported_50_folded", () -> output(folded, x));
        }

        List<String> torchCases = new ArrayList<>();
        if (torch != null) {
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("network", spec.key());
            setup.put("batch", spec.batch());
            setup.put("image", spec.image());
            setup.put("channels", spec.channels());
            setup.put("classes", spec.classes());
            setup.put("widths", EXPORT_WIDTHS);
            setup.put("seed", SEED);
            JsonNode reply = torch.setup(setup);
            torchCases.addAll(TorchSide.cases(reply));
            JsonNode params = reply.get("params");
            System.out.printf(Locale.ROOT, "parameters incl. batch-norm statistics, Integral4J / PyTorch: full %,d / %,d",
                    discrete.numParams(), params.get("full").get("with_running_stats").asLong());
            for (double w : EXPORT_WIDTHS) {
                System.out.printf(Locale.ROOT, "; %s%% %,d / %,d", widthKey(w), exported.get(widthKey(w)).numParams(),
                        params.get(torchWidthCase(w)).get("with_running_stats").asLong());
            }
            System.out.println();
        }

        Map<String, Series> mine = new LinkedHashMap<>();
        Map<String, Series> theirs = new LinkedHashMap<>();
        java.keySet().forEach(k -> mine.put(k, new Series(spec.rounds())));
        torchCases.forEach(k -> theirs.put(k, new Series(spec.rounds())));
        long start = System.nanoTime();
        int reallocations = 0;
        for (int r = -spec.warmup(); r < spec.rounds(); r++) {
            for (Map.Entry<String, Runnable> e : java.entrySet()) {
                boolean random = e.getKey().startsWith("train_integral_random");
                Map<String, Long> before = random ? workspaceSizes() : null;
                long c0 = OS.getProcessCpuTime();
                double ms = Medians.timeMs(e.getValue());
                double cpu = (OS.getProcessCpuTime() - c0) / 1e6;
                if (r >= 0) {
                    mine.get(e.getKey()).wall[r] = ms;
                    mine.get(e.getKey()).cpu[r] = cpu;
                    if (random && !before.equals(workspaceSizes())) {
                        reallocations++;
                    }
                }
            }
            for (String c : torchCases) {
                double[] t = torch.run(c);
                if (r >= 0) {
                    theirs.get(c).wall[r] = t[0];
                    theirs.get(c).cpu[r] = t[1];
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d warm-up + %d measured rounds in %.0f s; measured random-width steps that "
                        + "resized a DL4J workspace: %d of %d%n", spec.warmup(), spec.rounds(),
                (System.nanoTime() - start) / 1e9, reallocations, 2 * spec.rounds());
        printTable(spec, mine, theirs, torch != null);
    }

    private static void printTable(Spec spec, Map<String, Series> mine, Map<String, Series> theirs, boolean torch) {
        String[][] rows = {
            {"train step, discrete", "train_discrete", "train_discrete"},
            {"train step, integral, full size", "train_integral_full", "train_discrete"},
            {"train step, integral, random widths 50-100%", "train_integral_random", "train_discrete"},
            {"train step, integral, random widths 50-100%, multiples of " + BUCKET, "train_integral_random8",
                "train_discrete"},
            {"eval, discrete", "eval_discrete", "eval_discrete"},
            {"eval, integral, full size (cached samples)", "eval_integral", "eval_discrete"},
            {"eval, integral, first after a train step (resamples)", "eval_integral_first", "eval_discrete"},
            {"eval, exported 50%", "eval_exported_50", "eval_width_0.5"},
            {"eval, exported 30%", "eval_exported_30", "eval_width_0.3"},
            {"eval, exported 50%, batch norms folded", "eval_exported_50_folded", "eval_width_0.5"},
        };
        System.out.printf(Locale.ROOT, "%n| %s, median ms | Integral4J | PyTorch | Integral4J / PyTorch | "
                + "CPU ms/step I4J / PyTorch |%n|---|---|---|---|---|%n", spec.key());
        for (String[] row : rows) {
            Series m = mine.get(row[1]);
            if (m == null) {
                continue; // no batch norms to fold
            }
            Series t = theirs.get(row[2]);
            boolean same = row[1].replace("exported_50", "width_0.5").replace("exported_30", "width_0.3")
                    .equals(row[2]);
            String pt = t == null || !same ? "-" : fmt(t.median());
            String versus = row[2].endsWith("discrete") ? " (vs PyTorch discrete)" : " (vs PyTorch's 50%, batch norms kept)";
            String ratio = t == null ? "-" : fmt2(m.median() / t.median()) + (same ? "" : versus);
            String cpu = fmt(m.meanCpu()) + " / " + (t == null || !same ? "-" : fmt(t.meanCpu()));
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", row[0], fmt(m.median()), pt, ratio, cpu);
        }
        if (!torch) {
            System.out.println("(PyTorch columns skipped, see the note at the top)");
        }

        System.out.printf(Locale.ROOT, "%ntargets (%s): ratio of medians [median of per-round ratios]%n", spec.key());
        target("integral random-width step / discrete DL4J step", mine.get("train_integral_random"),
                mine.get("train_discrete"), "<= 1.0 (goal <= 0.8)", 1.0);
        target("same, widths in multiples of " + BUCKET, mine.get("train_integral_random8"),
                mine.get("train_discrete"), "<= 1.0 (goal <= 0.8)", 1.0);
        target("integral full-size step / discrete DL4J step", mine.get("train_integral_full"),
                mine.get("train_discrete"), "(for information)", Double.NaN);
        target("integral random-width step / integral full-size step", mine.get("train_integral_random"),
                mine.get("train_integral_full"), "(for information)", Double.NaN);
        target("same, widths in multiples of " + BUCKET, mine.get("train_integral_random8"),
                mine.get("train_integral_full"), "(for information)", Double.NaN);
        if (torch) {
            target("integral random-width step / PyTorch discrete step", mine.get("train_integral_random"),
                    theirs.get("train_discrete"), "<= 1.5", 1.5);
            target("same, widths in multiples of " + BUCKET, mine.get("train_integral_random8"),
                    theirs.get("train_discrete"), "<= 1.5", 1.5);
            target("integral full-size eval / PyTorch discrete eval", mine.get("eval_integral"),
                    theirs.get("eval_discrete"), "<= 1.1", 1.1);
        }
        target("exported 50% eval / discrete full eval (speed-up = 1 / ratio)", mine.get("eval_exported_50"),
                mine.get("eval_discrete"), "<= 0.4 (>= 2.5x faster)", 0.4);
        target("exported 30% eval / discrete full eval", mine.get("eval_exported_30"), mine.get("eval_discrete"),
                "(for information)", Double.NaN);
        if (mine.containsKey("eval_exported_50_folded")) {
            target("same at 50%, batch norms folded", mine.get("eval_exported_50_folded"), mine.get("eval_discrete"),
                    "<= 0.4 (>= 2.5x faster)", 0.4);
        }
    }

    private static void target(String what, Series a, Series b, String goal, double limit) {
        double ratio = a.median() / b.median();
        double[] paired = new double[a.wall.length];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = a.wall[i] / b.wall[i];
        }
        String verdict = Double.isNaN(limit) ? "" : ratio <= limit ? "  met" : "  NOT met";
        System.out.printf(Locale.ROOT, "  %-62s %6.2f [%5.2f]  %s%s%n", what, ratio, Medians.median(paired),
                Double.isNaN(limit) ? goal : "target " + goal, verdict);
    }

    /** The current size of every ND4J workspace of this thread (DL4J's layer workspaces among them). */
    private static Map<String, Long> workspaceSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            sizes.put(w.getId(), w.getCurrentSize());
        }
        return sizes;
    }

    private static void fit(Model m, DataSet ds) {
        if (m instanceof MultiLayerNetwork mln) {
            mln.fit(ds);
        } else {
            ((ComputationGraph) m).fit(ds);
        }
    }

    private static void output(Model m, INDArray x) {
        if (m instanceof MultiLayerNetwork mln) {
            mln.output(x);
        } else {
            ((ComputationGraph) m).outputSingle(x);
        }
    }

    /** The PyTorch side's case name of the network built at width {@code w} (Python's {@code "%g" % w}). */
    private static String torchWidthCase(double w) {
        return "eval_width_" + new java.math.BigDecimal(Double.toString(w)).stripTrailingZeros().toPlainString();
    }

    private static String widthKey(double w) {
        return String.valueOf(Math.round(w * 100));
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
    }

    private static String fmt2(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument '" + args[i] + "'; options start with --.");
            }
            String key = args[i].substring(2);
            boolean flag = key.equals("no-torch");
            if (!flag && i + 1 >= args.length) {
                throw new IllegalArgumentException("Option --" + key + " needs a value.");
            }
            o.put(key, flag ? "true" : args[++i]);
        }
        return o;
    }

    private static int intOption(Map<String, String> o, String key, int fallback) {
        int v = o.containsKey(key) ? Integer.parseInt(o.get(key)) : fallback;
        if (v < 0 || (v == 0 && !key.contains("warmup"))) {
            throw new IllegalArgumentException("--" + key + " must be positive, got " + v + ".");
        }
        return v;
    }
}
