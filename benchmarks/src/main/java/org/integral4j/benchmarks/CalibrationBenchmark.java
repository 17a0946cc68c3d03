package org.integral4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.convert.calibration.CalibratedNetwork;
import org.integral4j.convert.calibration.Calibration;
import org.integral4j.convert.calibration.CalibrationOptions;
import org.integral4j.convert.calibration.LayerReport;
import org.integral4j.examples.models.BranchConcatNet;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.examples.models.SmallResNet;
import org.integral4j.layers.OneDnn;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time of one calibration (default steps: batch-norm statistics and least-squares reconstruction)
 * with 512 inputs of 28x28x1 at 50% width, for the three networks of the calibration study (the
 * example CNN, the ResNet-style graph, the branch-and-concatenate graph), for the integral model
 * without and with grid placement (default criterion) and for the L1 baseline: median of {@code rounds} runs after one warm-up, with the time per
 * layer of the last run. The goal is at most 10 s per calibration on 2 cores. The networks have
 * their initial (untrained) weights: the work does not depend on the values.
 *
 * <p>{@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.CalibrationBenchmark -Dbench.args="3"}
 */
public final class CalibrationBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationBenchmark.class);
    private static final double GOAL_SECONDS = 10;

    private CalibrationBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional: rounds (default 3)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        OneDnn.enableForDl4jLayers();
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(7), 512, 1, 28, 28)
                .castTo(DataType.FLOAT);
        CalibrationOptions options = CalibrationOptions.defaults();
        // grid placement with its default criterion (BEST: six more calibrations on half the inputs)
        CalibrationOptions placed = options.toBuilder().gridPlacement(true).build();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%-8s %-9s %12s %12s  %s%n", "network",
                "method", "median s", "max s", "goal <= 10 s"));
        StringBuilder layers = new StringBuilder();
        for (String name : List.of("cnn", "resnet", "branch")) {
            Model net = name.equals("cnn") ? SmallCnn.discrete(1) : name.equals("resnet") ? SmallResNet.discrete(1)
                    : BranchConcatNet.discrete(1);
            IntegralModel inn = IntegralWrapper.builder().build().wrapModel(net);
            inn.resize(0.5);
            L1ChannelPruner l1 = L1ChannelPruner.builder().build();
            for (String method : List.of("inn", "inn+place", "l1")) {
                List<Double> times = new ArrayList<>();
                CalibratedNetwork last = null;
                for (int r = 0; r <= rounds; r++) {
                    long t0 = System.nanoTime();
                    last = switch (method) {
                        case "inn" -> inn.calibrate(x, options);
                        case "inn+place" -> inn.calibrate(x, placed);
                        default -> Calibration.calibrateL1(l1, net, l1.uniformSizes(net, 0.5), x, options);
                    };
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (r > 0) {
                        times.add(s);
                    }
                }
                double median = Medians.median(times);
                double max = times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                table.append(String.format(Locale.ROOT, "%-8s %-9s %12.2f %12.2f  %s%n", name, method, median, max,
                        median <= GOAL_SECONDS ? "yes" : "no"));
                layers.append(String.format(Locale.ROOT, "%s/%s: steps %s%n", name, method, last.timings()));
                for (LayerReport lr : last.layers()) {
                    layers.append("  ").append(lr).append('\n');
                }
            }
        }
        LOG.info("calibration time, 512 inputs, 50% width, {} rounds after a warm-up:{}{}", rounds, table, layers);
    }
}
