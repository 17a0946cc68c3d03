package org.integral4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.OneDnn;
import org.integral4j.layers.grid.ChannelGroups;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Page faults inside timed calls, and what the process settings that remove them change. On the
 * development VM a page touched for the first time is expensive (a fresh 9 MB array about 8 ms), and
 * a JVM started with the default heap commits and touches its heap while it grows, so some calls of
 * a benchmark pay for pages that later calls reuse. Each setting runs in a child JVM (heap options
 * and the environment are read at start-up), which measures the small CNN ({@link SmallCnn}, batch
 * 64): eval of the plain network and of its 50% export, and train steps of the plain network and of
 * the integral network at full and at random widths (every size in 50-100%). For each it prints the
 * minor page faults per call ({@code /proc/self/stat}, Linux) and the median ms. Settings:
 * <ul>
 *   <li>the heap grown on demand ({@code -Xmx8g}, the JVM's default initial heap);</li>
 *   <li>the heap committed and touched at start-up ({@code -Xms2g -Xmx8g -XX:+AlwaysPreTouch});</li>
 *   <li>the same plus glibc's {@code MALLOC_MMAP_THRESHOLD_} and {@code MALLOC_TRIM_THRESHOLD_} at
 *       1 GiB: native buffers (libnd4j's and oneDNN's temporaries) are then reused from the
 *       process's heap instead of being mapped and unmapped per call; freed memory is not returned
 *       to the system.</li>
 * </ul>
 * The settings take turns, {@code repeats} children each; the table gives medians over them. On the
 * development VM (README, "Page faults and the Java heap") touching the heap at start-up removed the
 * integral layers' faults without a timing gain beyond the noise, and the plain DL4J step's faults
 * did not come from the Java heap; the benchmark profiles therefore keep the default initial heap.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.PageFaultBenchmark -Dbench.args="3"} (children per setting,
 * default 3).
 */
public final class PageFaultBenchmark {

    private static final String GIB = String.valueOf(1L << 30);
    private static final String[] CASES = {"eval, plain", "eval, exported 50%", "train step, plain",
        "train step, integral, full size", "train step, integral, random widths"};

    private record Setting(String name, List<String> heap, Map<String, String> env) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("heap grown on demand", List.of("-Xmx8g"),
                    env(null, null)),
            new Setting("heap touched at start-up", List.of("-Xms2g", "-Xmx8g", "-XX:+AlwaysPreTouch"),
                    env(null, null)),
            new Setting("heap touched + glibc thresholds", List.of("-Xms2g", "-Xmx8g", "-XX:+AlwaysPreTouch"),
                    env(GIB, GIB)));

    private PageFaultBenchmark() {
    }

    private static Map<String, String> env(String mmap, String trim) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MALLOC_MMAP_THRESHOLD_", mmap);
        m.put("MALLOC_TRIM_THRESHOLD_", trim);
        return m;
    }

    /**
     * Runs the comparison, or the measuring child.
     *
     * @param args {@code [repeats]}; internally {@code --child}
     * @throws Exception when a child fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child();
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.printf(Locale.ROOT, "load average before: %s; %d children per setting%n",
                SideBySideBenchmark.loadAverage(), repeats);
        // per setting, per case: the children's {faults per call, median ms}
        Map<Setting, List<List<double[]>>> runs = new LinkedHashMap<>();
        SETTINGS.forEach(s -> runs.put(s, new ArrayList<>()));
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < SETTINGS.size(); k++) {
                Setting s = SETTINGS.get((k + r) % SETTINGS.size());
                List<double[]> result = runChild(s);
                runs.get(s).add(result);
                System.out.printf(Locale.ROOT, "%s: %s%n", s.name(), summary(result));
            }
        }
        System.out.printf(Locale.ROOT, "%n| small CNN, batch 64: faults per call / median ms |");
        SETTINGS.forEach(s -> System.out.printf(Locale.ROOT, " %s |", s.name()));
        System.out.printf(Locale.ROOT, "%n|---|%s%n", "---|".repeat(SETTINGS.size()));
        for (int c = 0; c < CASES.length; c++) {
            System.out.printf(Locale.ROOT, "| %s |", CASES[c]);
            for (Setting s : SETTINGS) {
                int cc = c;
                double faults = Medians.median(runs.get(s).stream().mapToDouble(x -> x.get(cc)[0]).toArray());
                double ms = Medians.median(runs.get(s).stream().mapToDouble(x -> x.get(cc)[1]).toArray());
                System.out.printf(Locale.ROOT, " %.0f / %s |", faults, ms < 10 ? String.format(Locale.ROOT, "%.2f", ms)
                        : String.format(Locale.ROOT, "%.1f", ms));
            }
            System.out.println();
        }
        System.out.printf(Locale.ROOT, "(medians over %d children per setting; load average after: %s)%n", repeats,
                SideBySideBenchmark.loadAverage());
    }

    private static String summary(List<double[]> result) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < CASES.length; c++) {
            b.append(String.format(Locale.ROOT, "%s%s %.0f faults %.2f ms", c == 0 ? "" : "; ", CASES[c],
                    result.get(c)[0], result.get(c)[1]));
        }
        return b.toString();
    }

    private static List<double[]> runChild(Setting s) throws Exception {
        Process p = ChildJvm.start(PageFaultBenchmark.class, options -> {
            options.removeIf(o -> o.startsWith("-Xms") || o.startsWith("-Xmx") || o.endsWith("AlwaysPreTouch"));
            options.addAll(s.heap());
            return options;
        }, List.of("--child"), s.env(), false);
        List<double[]> out = new ArrayList<>();
        for (String line : ChildJvm.results(p)) {
            String[] f = line.split(" ");
            out.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
        if (out.size() != CASES.length) {
            throw new IllegalStateException("expected " + CASES.length + " results from the child, got " + out.size());
        }
        return out;
    }

    /** Child: one "RESULT faults-per-call median-ms" line per case, in the order of {@link #CASES}. */
    private static void child() throws IOException {
        OneDnn.enableForDl4jLayers();
        MultiLayerNetwork plain = SmallCnn.discrete(1);
        MultiLayerNetwork trained = SmallCnn.discrete(2);
        IntegralModel inn = IntegralWrapper.builder().seed(1).fuseBatchNorm(false).build().wrapModel(plain);
        MultiLayerNetwork integral = (MultiLayerNetwork) inn.network();
        inn.resize(0.5);
        MultiLayerNetwork half = (MultiLayerNetwork) inn.toDiscrete();
        inn.resize(1.0);
        ChannelGroups groups = inn.groups();
        DataSet ds = BenchTensors.classificationBatch(7, 64, 1, 28, 10);
        INDArray x = ds.getFeatures();
        measure(() -> plain.output(x), 20, 200);
        measure(() -> half.output(x), 20, 200);
        // DL4J's training workspaces settle over the first few dozen steps of a network
        measure(() -> trained.fit(ds), 60, 100);
        measure(() -> {
            groups.clearTrainingSizes();
            integral.fit(ds);
        }, 60, 100);
        groups.setDistributions(0.5, false, 1);
        measure(() -> {
            groups.drawTrainingSizes();
            integral.fit(ds);
        }, 60, 100);
    }

    private static void measure(Runnable call, int warmup, int n) throws IOException {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        double[] ms = new double[n];
        long before = minorFaults();
        for (int i = 0; i < n; i++) {
            ms[i] = Medians.timeMs(call);
        }
        double faults = (minorFaults() - before) / (double) n;
        System.out.printf(Locale.ROOT, ChildJvm.RESULT + "%.2f %.4f%n", faults, Medians.median(ms));
    }

    /** Minor page faults of this process so far (field 10 of {@code /proc/self/stat}). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // fields after the command name (which may contain spaces) start at field 3
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[10 - 3]);
    }
}
