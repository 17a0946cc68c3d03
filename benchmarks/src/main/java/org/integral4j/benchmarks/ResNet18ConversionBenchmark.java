package org.integral4j.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.integral4j.convert.ConversionListener;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.permutation.TspResult;
import org.integral4j.layers.OneDnn;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Times {@link IntegralWrapper#wrapModel} on a ResNet-18-shaped {@link ComputationGraph} with random
 * weights (torchvision layout, 11,689,512 trainable parameters, input {@code (batch, 3, 224, 224)}
 * NCHW, float32), permutation included, and prints the median total, the median of every
 * conversion phase reported to a {@link ConversionListener} with its share of the total, the TSP
 * path lengths summed over the permuted groups, and the ratio to TorchIntegral's conversion of the
 * same network on this machine ({@value #TORCH_INTEGRAL_SECONDS} s, docs/ARCHITECTURE.md, "Backend and speed"). The
 * goal is {@value #GOAL_SECONDS} s or less on 2 cores.
 *
 * <p>Afterwards, untimed sanity checks on one random 224x224 image: the integral network at full
 * size and the plain network it exports at full size reproduce the source (the source with batch
 * norms folded and channels permuted, before any integral layer, is checked too, to tell the two
 * apart), the source is left unchanged, and at half width the exported plain network has about a
 * quarter of the parameters and computes what the resized integral network computes. Differences
 * are {@code max|actual - expected| / max|expected|} of the class probabilities.
 *
 * <p>The batch norms get random statistics (not DL4J's identity initialisation), so folding them
 * into the convolutions is actually exercised.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.ResNet18ConversionBenchmark -Dbench.args="3"} (the argument:
 * measured conversions after one warm-up, default 3).
 */
public final class ResNet18ConversionBenchmark {

    /** torchvision's {@code resnet18().parameters()} count (running statistics are buffers there). */
    public static final long TORCHVISION_PARAMETERS = 11_689_512L;
    /** TorchIntegral's conversion time for ResNet-18 on this machine, seconds (docs/ARCHITECTURE.md). */
    public static final double TORCH_INTEGRAL_SECONDS = 105;
    /** The goal for the whole conversion on 2 cores, seconds. */
    public static final double GOAL_SECONDS = 10;
    /** Input height and width. */
    public static final int IMAGE_SIZE = 224;
    /** Number of classes of the output layer. */
    public static final int CLASSES = 1000;
    /** Output channels of the four stages (two basic blocks each). */
    private static final int[] STAGE_WIDTHS = {64, 128, 256, 512};
    private static final int BLOCKS_PER_STAGE = 2;
    /** DL4J parameter keys of a batch norm's running statistics (buffers, not parameters, in PyTorch). */
    private static final Set<String> RUNNING_STATISTICS = Set.of("mean", "var", "log10stdev");
    private static final long SEED = 42;
    /**
     * Largest accepted {@code max|actual - expected| / max|expected|} of the class probabilities in
     * the sanity checks (FunctionPreservationTest's bound for the integral network at full size).
     */
    private static final double TOLERANCE = 1e-4;

    private ResNet18ConversionBenchmark() {
    }

    /**
     * Builds and initialises ResNet-18 (He et al., CVPR 2016; torchvision's layout): conv1 7x7/2
     * (64) - bn1 - relu - maxpool 3x3/2; four stages of two basic blocks
     * {@code x + bn2(conv2(relu(bn1(conv1(x)))))} followed by a ReLU, with widths 64, 128, 256, 512,
     * stride 2 in the first block of stages 2 to 4 and there a 1x1/2 convolution plus batch norm on
     * the shortcut; global average pooling; a softmax output layer of {@value #CLASSES} classes
     * (MCXENT). Convolutions have no bias and IDENTITY activation (ReLUs are
     * {@link ActivationLayer}s), padding mode Same (output size {@code ceil(in / stride)}, as
     * torchvision's explicit padding gives for even inputs), float32, He initialisation.
     *
     * <p>Vertex names follow torchvision with underscores: {@code conv1, bn1, relu, maxpool,
     * layer2_0_conv1, layer2_0_bn1, layer2_0_relu1, layer2_0_conv2, layer2_0_bn2,
     * layer2_0_downsample_conv, layer2_0_downsample_bn, layer2_0_add, layer2_0_relu2, ..., avgpool, fc}.
     *
     * @param seed weight-initialisation seed
     * @return an initialised graph with input {@code input: (batch, 3, 224, 224)} and output
     *         {@code fc: (batch, 1000)}
     */
    public static ComputationGraph resnet18(long seed) {
        return resnet18(seed, IMAGE_SIZE, CLASSES, new Sgd(1e-3));
    }

    /**
     * {@link #resnet18(long)} at another input size, class count and updater (the side-by-side
     * benchmark trains it at 64x64 with Adam).
     *
     * @param seed      weight-initialisation seed
     * @param imageSize input height and width
     * @param classes   classes of the output layer
     * @param updater   the updater of every layer
     * @return an initialised graph with input {@code input: (batch, 3, imageSize, imageSize)} and output
     *         {@code fc: (batch, classes)}
     */
    public static ComputationGraph resnet18(long seed, int imageSize, int classes, IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .activation(Activation.IDENTITY)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(imageSize, imageSize, 3));
        b.addLayer("conv1", conv(7, 2, STAGE_WIDTHS[0]), "input")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "conv1")
                .addLayer("relu", relu(), "bn1")
                .addLayer("maxpool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .build(), "relu");
        String previous = "maxpool";
        int channels = STAGE_WIDTHS[0];
        for (int stage = 0; stage < STAGE_WIDTHS.length; stage++) {
            for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                int width = STAGE_WIDTHS[stage];
                int stride = stage > 0 && block == 0 ? 2 : 1;
                previous = basicBlock(b, "layer" + (stage + 1) + "_" + block, previous, channels, width, stride);
                channels = width;
            }
        }
        b.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "avgpool")
                .setOutputs("fc");
        ComputationGraph graph = new ComputationGraph(b.build());
        graph.init();
        return graph;
    }

    /** Adds one basic block reading {@code input}; returns the name of its output vertex. */
    private static String basicBlock(ComputationGraphConfiguration.GraphBuilder b, String name, String input,
                                     int inChannels, int width, int stride) {
        b.addLayer(name + "_conv1", conv(3, stride, width), input)
                .addLayer(name + "_bn1", new BatchNormalization.Builder().build(), name + "_conv1")
                .addLayer(name + "_relu1", relu(), name + "_bn1")
                .addLayer(name + "_conv2", conv(3, 1, width), name + "_relu1")
                .addLayer(name + "_bn2", new BatchNormalization.Builder().build(), name + "_conv2");
        String shortcut = input;
        if (stride != 1 || inChannels != width) {
            b.addLayer(name + "_downsample_conv", conv(1, stride, width), input)
                    .addLayer(name + "_downsample_bn", new BatchNormalization.Builder().build(),
                            name + "_downsample_conv");
            shortcut = name + "_downsample_bn";
        }
        b.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_bn2", shortcut)
                .addLayer(name + "_relu2", relu(), name + "_add");
        return name + "_relu2";
    }

    private static ConvolutionLayer conv(int kernel, int stride, int nOut) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(nOut).hasBias(false).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /**
     * Parameters as PyTorch counts them: every DL4J parameter except the batch norms' running
     * statistics ({@code mean} and {@code var} or {@code log10stdev}), which DL4J keeps in the
     * parameter vector and PyTorch keeps as buffers.
     *
     * @param graph the network (not modified)
     * @return the number of trainable parameters
     */
    public static long trainableParameters(ComputationGraph graph) {
        long n = 0;
        for (Layer layer : graph.getLayers()) {
            boolean batchNorm = layer.conf().getLayer() instanceof BatchNormalization;
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                if (!(batchNorm && RUNNING_STATISTICS.contains(e.getKey()))) {
                    n += e.getValue().length();
                }
            }
        }
        return n;
    }

    /**
     * Gives every batch norm statistics such as a trained network has, instead of DL4J's identity
     * initialisation: gamma in [0.5, 1.5), beta and the running mean normal with deviation 0.1, the
     * running variance in [0.5, 1.5). Modifies {@code graph}.
     *
     * @param graph the network (modified)
     * @param seed  random seed
     */
    public static void randomizeBatchNormsInPlace(ComputationGraph graph, long seed) {
        Random random = new Random(seed);
        for (Layer layer : graph.getLayers()) {
            if (!(layer.conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray p = e.getValue();
                for (long i = 0; i < p.length(); i++) {
                    double v;
                    switch (e.getKey()) {
                        case "gamma":
                        case "var":
                            v = 0.5 + random.nextDouble();
                            break;
                        case "log10stdev":
                            v = Math.log10(Math.sqrt(0.5 + random.nextDouble()));
                            break;
                        default: // beta, mean
                            v = 0.1 * random.nextGaussian();
                            break;
                    }
                    p.putScalar(i, v);
                }
            }
        }
    }

    /** Collects one conversion's phase times (summed per name) and permuted groups. */
    private static final class Recorder implements ConversionListener {
        final Map<String, Double> phases = new LinkedHashMap<>();
        final List<String> groups = new ArrayList<>();
        final List<TspResult> results = new ArrayList<>();

        @Override
        public void phaseDone(String phase, double millis) {
            phases.merge(phase, millis, Double::sum);
        }

        @Override
        public void groupPermuted(String group, int index, int total, TspResult result) {
            groups.add(group);
            results.add(result);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional number of measured conversions (default 3)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (runs < 1) {
            throw new IllegalArgumentException("The number of runs must be at least 1, got " + runs + ".");
        }
        boolean onednn = OneDnn.enableForDl4jLayers();
        System.out.printf(Locale.ROOT, "cores available: %d; DL4J oneDNN helpers (source forward only): %s%n",
                Runtime.getRuntime().availableProcessors(), onednn);

        long t0 = System.nanoTime();
        ComputationGraph source = resnet18(SEED);
        randomizeBatchNormsInPlace(source, SEED + 1);
        long trainable = trainableParameters(source);
        System.out.printf(Locale.ROOT, "ResNet-18 built in %.1f s: %,d trainable parameters (torchvision %,d: %s), "
                        + "%,d in DL4J's parameter vector (+ %,d batch-norm running statistics)%n",
                (System.nanoTime() - t0) / 1e9, trainable, TORCHVISION_PARAMETERS,
                trainable == TORCHVISION_PARAMETERS ? "equal" : "DIFFERENT", source.numParams(),
                source.numParams() - trainable);
        INDArray sourceParams = source.params().dup();

        Map<String, double[]> phases = new LinkedHashMap<>();
        double[] totals = new double[runs];
        double[] outside = new double[runs];
        double[] solve = new double[runs];
        Recorder last = null;
        IntegralModel inn = null;
        for (int r = -1; r < runs; r++) {
            Recorder rec = new Recorder();
            IntegralWrapper wrapper = IntegralWrapper.builder().listener(rec).build();
            IntegralModel[] out = new IntegralModel[1];
            inn = null; // let the previous model go before converting again
            double ms = Medians.timeMs(() -> out[0] = wrapper.wrapModel(source));
            inn = out[0];
            double sum = rec.phases.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, "%s: %.0f ms (phases %s)%n", r < 0 ? "warm-up" : "run " + (r + 1), ms,
                    format(rec.phases));
            if (r < 0) {
                continue;
            }
            totals[r] = ms;
            outside[r] = ms - sum;
            solve[r] = rec.results.stream().mapToDouble(t -> t.elapsed().toNanos() / 1e6).sum();
            for (Map.Entry<String, Double> e : rec.phases.entrySet()) {
                phases.computeIfAbsent(e.getKey(), k -> new double[runs])[r] = e.getValue();
            }
            last = rec;
        }

        double total = Medians.median(totals);
        System.out.println();
        System.out.printf(Locale.ROOT, "wrapModel(ResNet-18), median of %d run(s) after 1 warm-up%n", runs);
        System.out.printf(Locale.ROOT, "%-36s %12s %8s%n", "phase", "median ms", "share");
        for (Map.Entry<String, double[]> e : phases.entrySet()) {
            double m = Medians.median(e.getValue());
            System.out.printf(Locale.ROOT, "%-36s %12.1f %7.1f%%%n", e.getKey(), m, 100 * m / total);
            if (e.getKey().equals("permutation")) {
                double tsp = Medians.median(solve);
                System.out.printf(Locale.ROOT, "%-36s %12.1f %7.1f%%%n", "  of which TSP solves", tsp,
                        100 * tsp / total);
            }
        }
        double other = Medians.median(outside);
        System.out.printf(Locale.ROOT, "%-36s %12.1f %7.1f%%%n", "(outside the phases)", other, 100 * other / total);
        System.out.printf(Locale.ROOT, "%-36s %12.1f %7.1f%%   (runs: %s)%n", "total (wall)", total, 100.0,
                format(totals));

        printPermutation(last);
        System.out.printf(Locale.ROOT, "%nTorchIntegral %.0f s / Integral4J %.2f s = %.1fx; goal <= %.0f s: %s%n",
                TORCH_INTEGRAL_SECONDS, total / 1e3, TORCH_INTEGRAL_SECONDS * 1e3 / total, GOAL_SECONDS,
                total <= GOAL_SECONDS * 1e3 ? "met" : "NOT met");

        sanityChecks(source, sourceParams, inn);
    }

    private static void printPermutation(Recorder rec) {
        double before = 0;
        double after = 0;
        double solveMs = 0;
        int timeLimited = 0;
        System.out.printf(Locale.ROOT, "%npermuted groups (last run): %d%n", rec.groups.size());
        System.out.printf(Locale.ROOT, "  %-28s %5s %12s %12s %7s %9s %s%n", "group", "n", "length before",
                "after", "gain", "solve ms", "time limit");
        for (int i = 0; i < rec.groups.size(); i++) {
            TspResult t = rec.results.get(i);
            before += t.lengthBefore();
            after += t.lengthAfter();
            double ms = t.elapsed().toNanos() / 1e6;
            solveMs += ms;
            timeLimited += t.timeLimitReached() ? 1 : 0;
            System.out.printf(Locale.ROOT, "  %-28s %5d %12.4g %12.4g %6.1f%% %9.1f %s%n", rec.groups.get(i),
                    t.order().length, t.lengthBefore(), t.lengthAfter(), gain(t.lengthBefore(), t.lengthAfter()), ms,
                    t.timeLimitReached() ? "reached" : "-");
        }
        System.out.printf(Locale.ROOT, "  %-28s %5s %12.4g %12.4g %6.1f%% %9.1f %d reached%n", "sum", "", before,
                after, gain(before, after), solveMs, timeLimited);
    }

    private static double gain(double before, double after) {
        return before > 0 ? 100 * (before - after) / before : 0;
    }

    private static void sanityChecks(ComputationGraph source, INDArray sourceParams, IntegralModel inn) {
        System.out.printf(Locale.ROOT, "%nsanity checks (untimed), one random image (1, 3, %d, %d)%n", IMAGE_SIZE,
                IMAGE_SIZE);
        System.out.printf(Locale.ROOT, "  source parameters unchanged by the conversions: %s%n",
                sourceParams.equals(source.params()));
        Nd4j.getRandom().setSeed(SEED + 2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, IMAGE_SIZE, IMAGE_SIZE);
        double[] ms = new double[1];
        INDArray expected = timed(ms, () -> source.outputSingle(x));
        System.out.printf(Locale.ROOT, "  source forward: %.0f ms%n", ms[0]);
        ComputationGraph prepared = (ComputationGraph) IntegralWrapper.builder().build().permutedDiscrete(source);
        System.out.printf(Locale.ROOT, "  batch norms folded + channels permuted (plain, permutedDiscrete) vs source: %s%n",
                compare(prepared.outputSingle(x), expected));

        INDArray full = timed(ms, () -> inn.computationGraph().outputSingle(x));
        System.out.printf(Locale.ROOT, "  integral network, full size vs source: %s (forward %.0f ms)%n",
                compare(full, expected), ms[0]);
        ComputationGraph exportedFull = (ComputationGraph) inn.toDiscrete();
        System.out.printf(Locale.ROOT, "  exported plain network, full size vs source: %s (%,d trainable parameters)%n",
                compare(exportedFull.outputSingle(x), expected), trainableParameters(exportedFull));

        inn.resize(0.5);
        Model half = inn.toDiscrete();
        ComputationGraph halfGraph = (ComputationGraph) half;
        long halfTrainable = trainableParameters(halfGraph);
        long fullTrainable = trainableParameters(source);
        System.out.printf(Locale.ROOT, "  resize(0.5) + toDiscrete(): %,d trainable parameters (%.1f%% of %,d), "
                + "%,d in DL4J's parameter vector%n", halfTrainable, 100.0 * halfTrainable / fullTrainable,
                fullTrainable, half.numParams());
        INDArray halfOut = halfGraph.outputSingle(x);
        System.out.printf(Locale.ROOT, "  exported half-width network vs integral network at half width: %s%n",
                compare(halfOut, inn.computationGraph().outputSingle(x)));
    }

    private interface Forward {
        INDArray run();
    }

    private static INDArray timed(double[] ms, Forward f) {
        long t0 = System.nanoTime();
        INDArray out = f.run();
        ms[0] = (System.nanoTime() - t0) / 1e6;
        return out;
    }

    /**
     * {@code max|actual - expected| / max|expected|} and {@code max|actual - expected|} of the class
     * probabilities, argmax agreement, and whether the relative difference is within {@link #TOLERANCE}.
     */
    private static String compare(INDArray actual, INDArray expected) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return "shape " + Arrays.toString(actual.shape()) + " vs expected "
                    + Arrays.toString(expected.shape());
        }
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray diff = a.sub(e);
        double maxAbs = diff.amaxNumber().doubleValue();
        double rel = maxAbs / Math.max(1e-30, e.amaxNumber().doubleValue());
        long argA = a.argMax(1).getLong(0);
        long argE = e.argMax(1).getLong(0);
        return String.format(Locale.ROOT, "%s (relative diff %.3g, tolerance %.0e; max abs diff %.3g; argmax %d vs %d)",
                rel <= TOLERANCE ? "ok" : "MISMATCH", rel, TOLERANCE, maxAbs, argA, argE);
    }

    private static String format(Map<String, Double> phases) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : phases.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f", e.getValue()));
        }
        return sb.toString();
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return sb.toString();
    }
}
