package org.integral4j.examples.sr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.integral4j.examples.report.CsvTable;
import org.integral4j.examples.report.Options;
import org.integral4j.examples.report.Progress;
import org.integral4j.layers.OneDnn;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Super-resolution as in the INN paper, small: an EDSR-style x2 network (a head convolution,
 * residual blocks of two 3x3 convolutions, a trunk convolution with a global residual, nearest x2
 * upsampling and two convolutions, plus the nearest-upsampled input) trained on luma patches of
 * real photographs, converted to an integral network and resampled to 50% and 30% width.
 * Reports PSNR on held-out photographs for: bicubic interpolation, the discrete network, the
 * integral network right after conversion, the integral network resampled without training, L1
 * channel selection at the same widths, and the integral network after a short random-width
 * training, resampled.
 *
 * <p>Photographs: the sample images of scikit-image in Debian's {@code python3-skimage} package
 * ({@value #DEFAULT_DIR}): training on {@link #TRAIN_IMAGES}, testing on {@link #TEST_IMAGES};
 * each public domain or CC0 as stated in scikit-image's data documentation. Degradation: 2x2 box
 * averaging. PSNR on luma in [0, 1] with a 2-pixel border ignored.
 *
 * <p>Options: {@code --images DIR}, {@code --channels C} (16), {@code --blocks B} (2),
 * {@code --patches N} (2400 patches of 48x48), {@code --epochs N} (2), {@code --rw-epochs N} (1),
 * {@code --min-ratio R} (0.25), {@code --seed S} (1), {@code --permute true|false} (false),
 * {@code --out DIR} (target/sr-study).
 *
 * <p>The conversion runs without the TSP channel permutation by default: on this graph (residual
 * adds, then nearest upsampling before the next convolution) the permuted network did not
 * reproduce the source (measured: outputs off by up to 4.8 on values up to 5.6), while without it the
 * integral network reproduces the source to 3e-6. {@code --permute true} shows it.
 */
public final class SuperResolutionStudy {

    private static final Logger LOG = LoggerFactory.getLogger(SuperResolutionStudy.class);
    /** Where Debian's python3-skimage installs scikit-image's sample images. */
    public static final String DEFAULT_DIR = "/usr/lib/python3/dist-packages/skimage/data";
    /** Training photographs (astronaut: NASA, public domain; coffee: CC0; rocket: SpaceX, public domain;
     *  hubble_deep_field: NASA, public domain; grass, gravel, brick: CC0 textures; ihc: no known restrictions). */
    public static final List<String> TRAIN_IMAGES = List.of("astronaut.png", "coffee.png", "rocket.jpg",
            "hubble_deep_field.jpg", "grass.png", "gravel.png", "brick.png", "ihc.png");
    /** Test photographs (camera: CC0; chelsea: CC0; coins: no known restrictions). */
    public static final List<String> TEST_IMAGES = List.of("camera.png", "chelsea.png", "coins.png");
    private static final int PATCH = 48;
    private static final int BATCH = 16;
    private static final int SHAVE = 2;
    private static final double[] RATIOS = {0.5, 0.3};

    private SuperResolutionStudy() {
    }

    /**
     * Runs the study; writes {@code results.csv} and {@code results.md}.
     *
     * @param args see the class comment
     * @throws IOException when the photographs or the output folder cannot be used
     */
    public static void main(String[] args) throws IOException {
        Options o = new Options(args, Set.of("images", "channels", "blocks", "patches", "epochs", "rw-epochs",
                "min-ratio", "seed", "permute", "out"), "SuperResolutionStudy [--images DIR] [--channels C] [--blocks B] "
                + "[--patches N] [--epochs N] [--rw-epochs N] [--min-ratio R] [--seed S] [--permute true|false] [--out DIR]");
        Path dir = Path.of(o.get("images", DEFAULT_DIR));
        int channels = o.getInt("channels", 16);
        int blocks = o.getInt("blocks", 2);
        int patches = o.getInt("patches", 2400);
        int epochs = o.getInt("epochs", 2);
        int rwEpochs = o.getInt("rw-epochs", 1);
        double minRatio = o.getDouble("min-ratio", 0.25);
        long seed = o.getInt("seed", 1);
        boolean permute = Boolean.parseBoolean(o.get("permute", "false"));
        Path out = Path.of(o.get("out", "target/sr-study"));
        Files.createDirectories(out);
        OneDnn.enableForDl4jLayers();

        List<LumaImage> train = load(dir, TRAIN_IMAGES);
        List<LumaImage> test = load(dir, TEST_IMAGES);
        List<DataSet> batches = patches(train, patches, new Random(seed));
        LOG.info("super-resolution x2: {} training photographs, {} patches {}x{} (batches of {}), test {}; EDSR-style "
                + "network with {} channels and {} residual blocks", train.size(), patches, PATCH, PATCH, BATCH,
                TEST_IMAGES, channels, blocks);

        ComputationGraph discrete = network(channels, blocks, seed);
        BatchListIterator it = new BatchListIterator(batches);
        discrete.setListeners(Progress.epochs("discrete EDSR", batches.size(), epochs));
        discrete.fit(it, epochs);
        discrete.setListeners();

        CsvTable table = new CsvTable("network", "width", "PSNR dB (mean)", "per image");
        addRow(table, "bicubic interpolation", 1.0, psnr(null, test));
        double[] discretePsnr = psnr(discrete, test);
        addRow(table, "discrete EDSR", 1.0, discretePsnr);

        IntegralModel inn;
        try (Progress.ConversionBar bar = Progress.conversion("conversion")) {
            inn = IntegralWrapper.builder().seed(seed).permute(permute).listener(bar).build().wrapModel(discrete);
        }
        ComputationGraph net = inn.computationGraph();
        LOG.info("groups: {}", inn.sizes());
        double[] converted = psnr(net, test);
        addRow(table, "INN right after conversion", 1.0, converted);
        L1ChannelPruner l1 = L1ChannelPruner.builder().build();
        for (double r : RATIOS) {
            inn.resize(r);
            addRow(table, "INN resampled, no training", r, psnr(net, test));
            addRow(table, "L1 channel selection, no training", r, psnr((ComputationGraph) l1.prune(discrete, r), test));
        }
        inn.resize(1.0);

        net.setLearningRate(2e-4);
        net.setListeners(inn.randomPartitions(minRatio, false),
                Progress.epochs("random-width training", batches.size(), rwEpochs));
        it.reset();
        net.fit(it, rwEpochs);
        net.setListeners();
        inn.groups().clearTrainingSizes();
        for (double r : new double[] {1.0, RATIOS[0], RATIOS[1]}) {
            inn.resize(r);
            addRow(table, String.format(Locale.ROOT, "INN after %d epoch(s) at random widths [%.2gC, C], resampled",
                    rwEpochs, minRatio), r, psnr(net, test));
        }
        table.writeCsv(out.resolve("results.csv"));
        String md = table.toMarkdown(2) + String.format(Locale.ROOT,
                "%nConversion: |PSNR(INN) - PSNR(discrete)| = %.4f dB (mean over the test images).%n",
                Math.abs(mean(converted) - mean(discretePsnr)));
        Files.writeString(out.resolve("results.md"), md);
        LOG.info("x2 super-resolution, PSNR on {} (luma):\n{}", TEST_IMAGES, md);
    }

    /**
     * The EDSR-style network: input {@code (batch, 1, h, w)} low-resolution luma, output
     * {@code (batch, 1, 2h, 2w)}, L1 loss.
     *
     * @param channels feature channels C
     * @param blocks   residual blocks
     * @param seed     initialisation seed
     * @return the initialised graph
     */
    public static ComputationGraph network(int channels, int blocks, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).graphBuilder().addInputs("lr");
        g.addLayer("head", conv(channels, Activation.IDENTITY), "lr");
        String x = "head";
        for (int b = 0; b < blocks; b++) {
            g.addLayer("block" + b + "_conv1", conv(channels, Activation.RELU), x);
            g.addLayer("block" + b + "_conv2", conv(channels, Activation.IDENTITY), "block" + b + "_conv1");
            g.addVertex("block" + b, new ElementWiseVertex(ElementWiseVertex.Op.Add), x, "block" + b + "_conv2");
            x = "block" + b;
        }
        g.addLayer("trunk_conv", conv(channels, Activation.IDENTITY), x);
        g.addVertex("trunk", new ElementWiseVertex(ElementWiseVertex.Op.Add), "head", "trunk_conv");
        g.addLayer("upsample", new Upsampling2D.Builder(2).build(), "trunk");
        g.addLayer("up_conv", conv(channels, Activation.RELU), "upsample");
        g.addLayer("tail", conv(1, Activation.IDENTITY), "up_conv");
        g.addLayer("skip", new Upsampling2D.Builder(2).build(), "lr");
        g.addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "tail", "skip");
        g.addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.L1).activation(Activation.IDENTITY)
                .build(), "sum");
        g.setOutputs("loss").setInputTypes(InputType.convolutional(PATCH / 2, PATCH / 2, 1));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int nOut, Activation activation) {
        return new ConvolutionLayer.Builder(3, 3).nOut(nOut).convolutionMode(ConvolutionMode.Same)
                .activation(activation).build();
    }

    private static List<LumaImage> load(Path dir, List<String> names) throws IOException {
        List<LumaImage> images = new ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n);
            if (!Files.isRegularFile(f)) {
                throw new IOException("photograph " + f + " not found; install Debian's python3-skimage (apt-get install "
                        + "python3-skimage, or apt-get download python3-skimage && dpkg-deb -x python3-skimage_*.deb DIR "
                        + "and pass --images DIR/usr/lib/python3/dist-packages/skimage/data)");
            }
            images.add(LumaImage.read(f).evenCrop());
        }
        return images;
    }

    /** Random HR patches (even positions, random flips), each with its 2x2-box LR version, in batches. */
    static List<DataSet> patches(List<LumaImage> images, int count, Random rng) {
        long[] areas = images.stream().mapToLong(i -> (long) i.height() * i.width()).toArray();
        long total = java.util.Arrays.stream(areas).sum();
        List<DataSet> batches = new ArrayList<>();
        int lr = PATCH / 2;
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            float[] hr = new float[n * PATCH * PATCH];
            float[] lo = new float[n * lr * lr];
            for (int k = 0; k < n; k++) {
                long pick = (long) (rng.nextDouble() * total);
                int idx = 0;
                while (pick >= areas[idx]) {
                    pick -= areas[idx++];
                }
                LumaImage img = images.get(idx);
                int top = 2 * rng.nextInt((img.height() - PATCH) / 2 + 1);
                int left = 2 * rng.nextInt((img.width() - PATCH) / 2 + 1);
                boolean flipH = rng.nextBoolean();
                boolean flipV = rng.nextBoolean();
                LumaImage p = img.crop(top, left, PATCH, PATCH);
                for (int r = 0; r < PATCH; r++) {
                    for (int c = 0; c < PATCH; c++) {
                        hr[k * PATCH * PATCH + r * PATCH + c] = p.at(flipV ? PATCH - 1 - r : r, flipH ? PATCH - 1 - c : c);
                    }
                }
                LumaImage small = new LumaImage("patch", PATCH, PATCH,
                        java.util.Arrays.copyOfRange(hr, k * PATCH * PATCH, (k + 1) * PATCH * PATCH)).downscale2();
                System.arraycopy(small.pixels(), 0, lo, k * lr * lr, lr * lr);
            }
            batches.add(new DataSet(Nd4j.create(lo, new long[] {n, 1, lr, lr}, 'c'),
                    Nd4j.create(hr, new long[] {n, 1, PATCH, PATCH}, 'c')));
        }
        return batches;
    }

    /** PSNR per test image of a network (null: bicubic interpolation). */
    static double[] psnr(ComputationGraph net, List<LumaImage> test) {
        double[] out = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
            LumaImage hr = test.get(i);
            LumaImage lr = hr.downscale2();
            LumaImage sr;
            if (net == null) {
                sr = lr.bicubic2();
            } else {
                INDArray x = Nd4j.create(lr.pixels(), new long[] {1, 1, lr.height(), lr.width()}, 'c');
                INDArray y = net.outputSingle(false, x).castTo(DataType.FLOAT).dup('c');
                sr = new LumaImage(hr.name(), hr.height(), hr.width(), y.data().asFloat());
            }
            out[i] = sr.psnr(hr, SHAVE);
        }
        return out;
    }

    private static void addRow(CsvTable table, String name, double width, double[] psnr) {
        StringBuilder per = new StringBuilder();
        for (int i = 0; i < psnr.length; i++) {
            per.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", psnr[i]));
        }
        table.add(name, String.format(Locale.ROOT, "%.0f%%", 100 * width), mean(psnr), per.toString());
        LOG.info("{} at {}%: PSNR {} dB ({})", name, Math.round(100 * width),
                String.format(Locale.ROOT, "%.3f", mean(psnr)), per);
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
