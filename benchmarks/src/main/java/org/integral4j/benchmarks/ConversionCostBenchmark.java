package org.integral4j.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.DistanceMatrix;
import org.integral4j.convert.permutation.TspResult;
import org.integral4j.convert.permutation.TspSolver;
import org.integral4j.layers.io.FastModelRestore;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What loading, converting and exporting cost as models grow: ResNet-18
 * ({@link ResNet18ConversionBenchmark#resnet18(long)}), and DL4J zoo ResNet-50 and VGG-16 (224x224x3,
 * 1000 classes, random weights from {@code init()}). For each model, wall time and peak memory of:
 * {@code ModelSerializer.writeModel} (without updater), {@code ModelSerializer.restoreComputationGraph},
 * {@link FastModelRestore#restoreComputationGraph} (checked equal), {@link IntegralWrapper#wrapModel}
 * (analysis, batch-norm folding, TSP permutation, integral network), and export at half width
 * ({@code resize(0.5)} and {@link IntegralModel#toDiscrete()}). Peak memory is sampled every 2 ms
 * during the operation: JVM heap in use (absolute, after a GC before the operation), and native
 * the process's resident memory (heap and ND4J's off-heap buffers) above its level before the operation. Then the
 * TSP cost against the channel count: distance matrix and solve for a group of {@code n} channels
 * (two 3x3 convolutions with 256 channels on the other axis), n = 64 to 2048.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.ConversionCostBenchmark -Dbench.args="--models resnet18,resnet50,vgg16"}.
 * Options: {@code --models} (any of resnet18, resnet50, vgg16), {@code --tsp 64,128,256,512,1024,2048}
 * ({@code --tsp none} skips it).
 */
public final class ConversionCostBenchmark {

    private static final long SEED = 42;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private ConversionCostBenchmark() {
    }

    /** Wall time and peaks of one operation. */
    private record Cost(double seconds, long peakHeapBytes, long peakNativeBytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f s, heap %s, resident +%s", seconds, mb(peakHeapBytes),
                    mb(peakNativeBytes));
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs {@code work} while a daemon thread samples heap and JavaCPP native memory. */
    private static <T> T measure(String what, Work<T> work, Map<String, Cost> into) throws Exception {
        System.gc();
        long nativeBefore = offHeap();
        long[] peaks = {MEMORY.getHeapMemoryUsage().getUsed(), nativeBefore};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peaks[0] = Math.max(peaks[0], MEMORY.getHeapMemoryUsage().getUsed());
                peaks[1] = Math.max(peaks[1], offHeap());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        sampler.setDaemon(true);
        long t0 = System.nanoTime();
        sampler.start();
        T result;
        try {
            result = work.run();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        peaks[0] = Math.max(peaks[0], MEMORY.getHeapMemoryUsage().getUsed());
        peaks[1] = Math.max(peaks[1], offHeap());
        Cost c = new Cost(seconds, peaks[0], peaks[1] - nativeBefore);
        into.put(what, c);
        System.out.printf(Locale.ROOT, "  %-34s %s%n", what, c);
        return result;
    }

    /**
     * Runs the benchmark.
     *
     * @param args options (see the class documentation)
     * @throws Exception when an operation fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> models = List.of(o.getOrDefault("models", "resnet18,resnet50,vgg16").split(","));
        System.out.printf(Locale.ROOT, "cores %d, max heap %s, load average %s%n",
                Runtime.getRuntime().availableProcessors(), mb(Runtime.getRuntime().maxMemory()),
                SideBySideBenchmark.loadAverage());
        Map<String, Map<String, Cost>> all = new LinkedHashMap<>();
        Map<String, Long> params = new LinkedHashMap<>();
        for (String name : models) {
            Map<String, Cost> costs = new LinkedHashMap<>();
            all.put(name, costs);
            System.out.printf(Locale.ROOT, "%n%s%n", name);
            ComputationGraph source = measure("build (init, random weights)", () -> build(name.trim()), costs);
            params.put(name, source.numParams());
            File zip = Files.createTempFile("integral4j-" + name, ".zip").toFile();
            zip.deleteOnExit();
            measure("ModelSerializer.writeModel", () -> {
                ModelSerializer.writeModel(source, zip, false);
                return null;
            }, costs);
            System.out.printf(Locale.ROOT, "  (%,d parameters, file %s)%n", source.numParams(), mb(zip.length()));
            ComputationGraph slow = measure("ModelSerializer.restore", () ->
                    ModelSerializer.restoreComputationGraph(zip, false), costs);
            INDArray reference = slow.params();
            ComputationGraph fast = measure("FastModelRestore.restore", () ->
                    FastModelRestore.restoreComputationGraph(zip, false), costs);
            if (!reference.equals(fast.params())) {
                throw new IllegalStateException(name + ": FastModelRestore and ModelSerializer disagree");
            }
            IntegralModel inn = measure("IntegralWrapper.wrapModel", () ->
                    IntegralWrapper.builder().seed(SEED).build().wrapModel(source), costs);
            measure("export at 50% (resize, toDiscrete)", () -> {
                inn.resize(0.5);
                return inn.toDiscrete();
            }, costs);
            if (!zip.delete()) {
                zip.deleteOnExit();
            }
        }
        System.out.printf(Locale.ROOT, "%n| model | parameters | operation | seconds | peak heap | peak resident memory (above "
                + "start) |%n|---|---|---|---|---|---|%n");
        for (Map.Entry<String, Map<String, Cost>> m : all.entrySet()) {
            for (Map.Entry<String, Cost> c : m.getValue().entrySet()) {
                System.out.printf(Locale.ROOT, "| %s | %,d | %s | %.1f | %s | %s |%n", m.getKey(),
                        params.get(m.getKey()), c.getKey(), c.getValue().seconds(), mb(c.getValue().peakHeapBytes()),
                        mb(c.getValue().peakNativeBytes()));
            }
        }
        for (Map.Entry<String, Map<String, Cost>> m : all.entrySet()) {
            Cost slow = m.getValue().get("ModelSerializer.restore");
            Cost fast = m.getValue().get("FastModelRestore.restore");
            Cost convert = m.getValue().get("IntegralWrapper.wrapModel");
            System.out.printf(Locale.ROOT, "%s: restore %.1fx faster with FastModelRestore; conversion %.1f s%s%n",
                    m.getKey(), slow.seconds() / fast.seconds(), convert.seconds(),
                    m.getKey().equals("resnet50") ? (convert.seconds() <= 15 ? " (target <= 15 s: met)"
                            : " (target <= 15 s: NOT met)") : "");
        }
        String tsp = o.getOrDefault("tsp", "64,128,256,512,1024,2048");
        if (!tsp.equals("none")) {
            tspScaling(tsp);
        }
        System.out.printf(Locale.ROOT, "%nload average at the end: %s%n", SideBySideBenchmark.loadAverage());
    }

    private static ComputationGraph build(String name) {
        return switch (name) {
            case "resnet18" -> ResNet18ConversionBenchmark.resnet18(SEED);
            case "resnet50" -> ResNet50.builder().seed(SEED).numClasses(1000).build().init();
            case "vgg16" -> VGG16.builder().seed(SEED).numClasses(1000).build().init();
            default -> throw new IllegalArgumentException("Unknown model '" + name + "'; use resnet18, resnet50, vgg16.");
        };
    }

    private static void tspScaling(String sizes) {
        System.out.printf(Locale.ROOT, "%nTSP against the channel count: W1 (n*, 256, 3, 3) axis 0 + W2 (256, n*, 3, 3) "
                + "axis 1, %s, median of 3 after 1 warm-up%n", TspSolver.defaults());
        System.out.printf(Locale.ROOT, "| n | distance matrix ms | solve ms | total ms | total / n^2 (us) | path "
                + "shorter by | time limit reached |%n|---|---|---|---|---|---|---|%n");
        for (String s : sizes.split(",")) {
            int n = Integer.parseInt(s.trim());
            INDArray w1 = BenchTensors.gaussianWeights(1, n, 256, 3, 3);
            INDArray w2 = BenchTensors.gaussianWeights(2, 256, n, 3, 3);
            List<ChannelSlices> group = List.of(ChannelSlices.of(w1, 0), ChannelSlices.of(w2, 1));
            List<Double> dist = new ArrayList<>();
            List<Double> solve = new ArrayList<>();
            TspResult last = null;
            for (int r = 0; r < 4; r++) {
                long t0 = System.nanoTime();
                DistanceMatrix d = DistanceMatrix.fromSlices(group);
                long t1 = System.nanoTime();
                last = TspSolver.defaults().solve(d);
                long t2 = System.nanoTime();
                if (r > 0) {
                    dist.add((t1 - t0) / 1e6);
                    solve.add((t2 - t1) / 1e6);
                }
            }
            double dm = Medians.median(dist);
            double sm = Medians.median(solve);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.2f | %.1f%% | %s |%n", n, dm, sm, dm + sm,
                    1e3 * (dm + sm) / ((double) n * n), 100 * (1 - last.lengthAfter() / last.lengthBefore()),
                    last.timeLimitReached());
        }
    }

    /**
     * The process's resident memory (JavaCPP reads it from the operating system): heap and ND4J's
     * off-heap buffers together. (ND4J's own allocation counters stay at 0 on the CPU backend.)
     */
    private static long offHeap() {
        return Pointer.physicalBytes();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
    }
}
