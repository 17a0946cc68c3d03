package org.integral4j.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.layers.OneDnn;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the inference time of an exported (plain, smaller) network goes as the width shrinks:
 * ResNet-18 at 64x64x3 with 200 classes (the side-by-side benchmark's network), converted with its
 * batch norms kept as layers (as in that benchmark) or, with the argument {@code fold}, folded into
 * the convolutions (the converter's default), exported at several widths, one {@code outputSingle} per network per
 * round, rounds interleaved so that a noisy host affects every width alike; medians after warm-up
 * rounds, with each width's MACs as a fraction of the full network's. A time that stops falling
 * with the MACs is the per-call cost of the layers (see the README, "Measured results").
 *
 * <p>{@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.ExportedWidthBenchmark -Dbench.args="30 5 16 fold"} (rounds,
 * warm-up rounds, batch, {@code fold} or {@code keep}).
 */
public final class ExportedWidthBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ExportedWidthBenchmark.class);
    private static final double[] WIDTHS = {1.0, 0.5, 0.3, 0.1};
    private static final int IMAGE = 64;
    private static final int CLASSES = 200;

    private ExportedWidthBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional: rounds (default 30), warm-up rounds (default 5), batch (default 16)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        boolean fold = args.length > 3 && args[3].equals("fold");
        OneDnn.enableForDl4jLayers();
        ComputationGraph discrete = ResNet18ConversionBenchmark.resnet18(42, IMAGE, CLASSES, new Adam(1e-3));
        IntegralModel inn = IntegralWrapper.builder().fuseBatchNorm(fold).seed(42).build().wrapModel(discrete);
        InputType type = InputType.convolutional(IMAGE, IMAGE, 3);
        Map<String, Model> nets = new LinkedHashMap<>();
        Map<String, Double> macs = new LinkedHashMap<>();
        nets.put("discrete (source)", discrete);
        macs.put("discrete (source)", 1.0);
        for (double w : WIDTHS) {
            inn.resize(w);
            String key = String.format(Locale.ROOT, "exported %.0f%%", 100 * w);
            nets.put(key, inn.toDiscrete());
            macs.put(key, inn.metrics(type).macRatio());
        }
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, IMAGE, IMAGE);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        nets.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        for (int r = 0; r < warmup + rounds; r++) {
            for (Map.Entry<String, Model> e : nets.entrySet()) {
                ComputationGraph g = (ComputationGraph) e.getValue();
                double ms = Medians.timeMs(() -> g.outputSingle(x));
                if (r >= warmup) {
                    times.get(e.getKey()).add(ms);
                }
            }
        }
        double full = Medians.median(times.get("discrete (source)"));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%-18s %8s %10s %14s%n", "network",
                "MACs", "median ms", "source / this"));
        for (String k : nets.keySet()) {
            double m = Medians.median(times.get(k));
            table.append(String.format(Locale.ROOT, "%-18s %7.1f%% %10.2f %14.2f%n", k, 100 * macs.get(k), m,
                    full / m));
        }
        LOG.info("ResNet-18 at {}x{}x3, batch {}, inference, batch norms {}, medians of {} interleaved rounds after {}"
                + " warm-up:{}", IMAGE, IMAGE, batch, fold ? "folded into the exported convolutions" : "kept as layers",
                rounds, warmup, table);
    }

}
