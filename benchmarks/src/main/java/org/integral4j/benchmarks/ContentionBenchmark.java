package org.integral4j.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.OneDnn;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How much a train step of the small CNN ({@link SmallCnn}, plain DL4J and integral, batch 64) slows
 * down when another process keeps the CPU busy, under several OpenMP settings. libnd4j, oneDNN and
 * the bundled OpenBLAS run their parallel regions on GNU OpenMP (libgomp, shipped in the
 * nd4j-native jar): with {@code OMP_WAIT_POLICY} unset, a thread that finishes its share spins for
 * up to {@code GOMP_SPINCOUNT} (300,000) iterations before sleeping, and a parallel region ends only
 * when its slowest thread has been scheduled. With one thread per core and another process on the
 * same cores, the spinning threads take turns with the threads they wait for, and every one of the
 * hundreds of parallel regions per step can cost a scheduler time slice. {@code OMP_WAIT_POLICY=PASSIVE}
 * makes waiting threads sleep at once. These variables are read when libgomp is loaded, so each
 * setting runs in a child JVM started with that environment (everything else inherited).
 *
 * <p>For every setting the child measures the median train step twice: alone, and while a burner
 * process (a JVM spinning one busy thread per core) runs. Prints one table.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.ContentionBenchmark -Dbench.args="30"} (measured steps per
 * network, default 30).
 */
public final class ContentionBenchmark {

    /** Settings compared; a null value removes the variable from the child's environment. */
    private static final Map<String, Map<String, String>> SETTINGS = new LinkedHashMap<>();

    static {
        Map<String, String> none = new LinkedHashMap<>();
        none.put("OMP_WAIT_POLICY", null);
        none.put("GOMP_SPINCOUNT", null);
        none.put("OMP_NUM_THREADS", null);
        SETTINGS.put("default (libgomp spins)", none);
        SETTINGS.put("OMP_WAIT_POLICY=PASSIVE", with(none, "OMP_WAIT_POLICY", "PASSIVE"));
        SETTINGS.put("GOMP_SPINCOUNT=10000", with(none, "GOMP_SPINCOUNT", "10000"));
        SETTINGS.put("OMP_NUM_THREADS=1", with(none, "OMP_NUM_THREADS", "1"));
    }

    private ContentionBenchmark() {
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    /**
     * Runs the comparison, or one of its child roles.
     *
     * @param args {@code [steps]}; internally {@code --child steps} or {@code --burn threads}
     * @throws Exception when a child fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--burn")) {
            burn(Integer.parseInt(args[1]));
            return;
        }
        if (args.length > 0 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "cores %d; load average before: %s; %d measured train steps per network%n",
                cores, SideBySideBenchmark.loadAverage(), steps);
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> s : SETTINGS.entrySet()) {
            double[] alone = runChild(s.getValue(), steps, null);
            Process burner = start(List.of("--burn", String.valueOf(cores)), Map.of(), true);
            double[] loaded;
            try {
                loaded = runChild(s.getValue(), steps, burner);
            } finally {
                burner.destroy();
                burner.waitFor(10, TimeUnit.SECONDS);
            }
            rows.add(new String[] {s.getKey(), fmt(alone[0]), fmt(loaded[0]), fmt(loaded[0] / alone[0]),
                fmt(alone[1]), fmt(loaded[1]), fmt(loaded[1] / alone[1])});
            System.out.printf(Locale.ROOT, "%s: discrete %.1f -> %.1f ms, integral %.1f -> %.1f ms%n", s.getKey(),
                    alone[0], loaded[0], alone[1], loaded[1]);
        }
        System.out.printf(Locale.ROOT, "%n| setting | discrete alone | discrete with %d busy threads | slowdown "
                + "| integral alone | integral with %d busy threads | slowdown |%n|---|---|---|---|---|---|---|%n",
                cores, cores);
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %sx | %s | %s | %sx |%n", (Object[]) r);
        }
        System.out.printf(Locale.ROOT, "(median ms per train step; load average after: %s)%n",
                SideBySideBenchmark.loadAverage());
    }

    /** Runs the measuring child with the given environment; returns {discrete ms, integral ms}. */
    private static double[] runChild(Map<String, String> env, int steps, Process burner) throws Exception {
        if (burner != null && !burner.isAlive()) {
            throw new IllegalStateException("the burner process exited early (exit code " + burner.exitValue() + ")");
        }
        String[] f = ChildJvm.results(start(List.of("--child", String.valueOf(steps)), env, false)).get(0).split(" ");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
    }

    private static Process start(List<String> args, Map<String, String> env, boolean discardOutput)
            throws IOException {
        return ChildJvm.start(ContentionBenchmark.class, options -> options, args, env, discardOutput);
    }

    /** Child: median train step of the plain and the integral small CNN, printed as "RESULT d i". */
    private static void child(int steps) {
        OneDnn.enableForDl4jLayers();
        MultiLayerNetwork discrete = SmallCnn.discrete(1);
        MultiLayerNetwork integral = SmallCnn.integral(1);
        IntegralNetworks.bindNew(integral, 1);
        DataSet ds = BenchTensors.classificationBatch(7, 64, 1, 28, 10);
        int warmup = Math.max(5, steps / 3);
        double[] d = new double[steps];
        double[] in = new double[steps];
        for (int r = -warmup; r < steps; r++) {
            double td = Medians.timeMs(() -> discrete.fit(ds));
            double ti = Medians.timeMs(() -> integral.fit(ds));
            if (r >= 0) {
                d[r] = td;
                in[r] = ti;
            }
        }
        System.out.printf(Locale.ROOT, ChildJvm.RESULT + "%.3f %.3f%n", Medians.median(d), Medians.median(in));
    }

    /** Burner: one busy thread per requested core until killed. */
    private static void burn(int threads) throws InterruptedException {
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                double v = 1;
                while (!Thread.currentThread().isInterrupted()) {
                    v = v * 1.0000001 + 1e-9;
                    if (v > 1e300) {
                        v = 1;
                    }
                }
            }, "burner-" + i);
            t.setDaemon(false);
            t.start();
            all.add(t);
        }
        for (Thread t : all) {
            t.join();
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }
}
