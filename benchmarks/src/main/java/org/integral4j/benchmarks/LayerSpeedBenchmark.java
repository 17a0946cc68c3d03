package org.integral4j.benchmarks;

import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.OneDnn;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.train.RandomPartitionListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Train step and inference forward pass of the integral CNN against the same plain DL4J CNN
 * ({@link SmallCnn}), both at full size, batch 64, float32, measured interleaved in one JVM; the DL4J
 * network runs with its oneDNN helpers active (checked), otherwise the ratio would mean nothing.
 * Prints medians and the ratios integral / discrete (goals: train step 1.25 or less, inference
 * with cached sampled weights 1.05 or less).
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -Dbench.main=org.integral4j.benchmarks.LayerSpeedBenchmark
 * -Dbench.args="40"} (the argument: measured rounds, default 40).
 */
public final class LayerSpeedBenchmark {

    private LayerSpeedBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional number of measured rounds
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = 15;
        boolean cpu = Nd4j.getExecutioner().type() == OpExecutioner.ExecutionerType.NATIVE_CPU;
        boolean onednn = cpu && OneDnn.enableForDl4jLayers();
        MultiLayerNetwork discrete = SmallCnn.discrete(1);
        MultiLayerNetwork integral = SmallCnn.integral(1);
        Object helper = ((ConvolutionLayer) discrete.getLayer(0)).getHelper();
        System.out.printf("ND4J backend %s; DL4J oneDNN helpers: %s (conv helper %s)%n",
                Nd4j.getBackend().getClass().getSimpleName(), onednn,
                helper == null ? "none" : helper.getClass().getSimpleName());
        if (cpu && (!onednn || helper == null)) {
            throw new IllegalStateException("DL4J's oneDNN helpers are not active; the comparison would be unfair.");
        }
        if (!cpu) {
            System.out.println("Not the CPU backend (GPU smoke test): both networks run on the GPU; DL4J's own layers "
                    + "use their built-in GPU path (cuDNN helpers need the deeplearning4j-cuda module).");
        }
        ChannelGroups groups = IntegralNetworks.bindNew(integral, 1);

        DataSet ds = BenchTensors.classificationBatch(7, 64, 1, 28, 10);
        INDArray x = ds.getFeatures();

        double[] trainD = new double[rounds];
        double[] trainI = new double[rounds];
        double[] evalD = new double[rounds];
        double[] evalI = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            double td = Medians.timeMs(() -> discrete.fit(ds));
            double ti = Medians.timeMs(() -> integral.fit(ds));
            double ed = Medians.timeMs(() -> discrete.output(x));
            double ei = Medians.timeMs(() -> integral.output(x));
            if (r >= 0) {
                trainD[r] = td;
                trainI[r] = ti;
                evalD[r] = ed;
                evalI[r] = ei;
            }
        }
        // Random-partition training (sizes 50-100%), for information: smaller widths, faster steps.
        groups.setDistributions(0.5, false);
        integral.setListeners(new RandomPartitionListener(groups));
        double[] trainRandom = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            double t = Medians.timeMs(() -> integral.fit(ds));
            if (r >= 0) {
                trainRandom[r] = t;
            }
        }
        INDArray check = integral.output(x);
        if (!Double.isFinite(check.sumNumber().doubleValue()) || Math.abs(check.sumNumber().doubleValue() - 64) > 1e-2) {
            throw new IllegalStateException("the integral network's class probabilities are not finite rows summing to 1: "
                    + check.sumNumber());
        }
        System.out.printf("%-44s %10s %10s %8s%n", "median over " + rounds + " rounds (ms)", "discrete", "integral",
                "ratio");
        row("train step (fit, batch 64), full size", trainD, trainI);
        row("inference (output, batch 64), full size", evalD, evalI);
        System.out.printf("%-44s %10s %10.2f %8s%n", "train step, random sizes 50-100%", "", Medians.median(trainRandom),
                String.format("%.2f", Medians.median(trainRandom) / Medians.median(trainD)));
    }

    private static void row(String what, double[] discrete, double[] integral) {
        double d = Medians.median(discrete);
        double i = Medians.median(integral);
        double[] paired = new double[discrete.length];
        for (int k = 0; k < paired.length; k++) {
            paired[k] = integral[k] / discrete[k];
        }
        System.out.printf("%-44s %10.2f %10.2f %8.2f   (median of paired ratios %.2f)%n", what, d, i, i / d,
                Medians.median(paired));
    }
}
