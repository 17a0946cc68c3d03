package org.integral4j.cli;

import static org.integral4j.cli.TestModels.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.cli.TestModels.Result;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code resize --calibration} and {@code --budget-macs/--budget-params} in this JVM, on a small
 * CNN (10x10 grey images of bright blobs, conv - batch norm - relu - pool - conv - dense - output,
 * trained for a few steps to tell in which quadrant the brightest blob lies): a calibrated resize
 * is closer to the full network than an uncalibrated one on images it was not calibrated on, a
 * budget is kept by the written file, and bad calibration input fails with a clear message and
 * no file written.
 */
class CalibrationCliTest {

    private static final int SIDE = 10;
    private static final String INPUT_TYPE = "cnn:10x10x1";

    @TempDir
    static Path root;
    private static Path in;
    private static Path out;
    private static Path model;
    private static MultiLayerNetwork net;

    @BeforeAll
    static void files() throws IOException {
        in = Files.createDirectories(root.resolve("in"));
        out = Files.createDirectories(root.resolve("out"));
        net = trainedNetwork();
        model = in.resolve("model.zip");
        ModelSerializer.writeModel(net, model.toFile(), true);
        Random rng = new Random(3);
        writeIdx(in.resolve("images-idx3-ubyte.gz"), blobs(400, SIDE, rng), 400, SIDE, true);
        writeIdx(in.resolve("images-idx3-ubyte"), blobs(50, SIDE, rng), 50, SIDE, false);
        writeIdx(in.resolve("small-idx3-ubyte"), blobs(20, 8, rng), 20, 8, false);
        byte[] whole = Files.readAllBytes(in.resolve("images-idx3-ubyte"));
        Files.write(in.resolve("truncated-idx3-ubyte"), Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(in.resolve("labels.txt"), "not an IDX file\n");
        Files.createDirectories(in.resolve("empty-folder"));
        Path pngs = Files.createDirectories(in.resolve("pngs"));
        byte[] b = blobs(40, SIDE, rng);
        for (int i = 0; i < 40; i++) {
            BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < SIDE * SIDE; p++) {
                int v = b[i * SIDE * SIDE + p] & 0xFF;
                img.setRGB(p % SIDE, p / SIDE, (v << 16) | (v << 8) | v);
            }
            ImageIO.write(img, "png", pngs.resolve(String.format("img%03d.png", i)).toFile());
        }
        ModelSerializer.writeModel(TestModels.multiLayerNetwork(), in.resolve("two-channels.zip").toFile(), true);
    }

    /** Images of 1-3 Gaussian blobs on a dark background, as unsigned bytes {@code (n, side, side)}. */
    static byte[] blobs(int n, int side, Random rng) {
        byte[] out = new byte[n * side * side];
        for (int i = 0; i < n; i++) {
            int k = 1 + rng.nextInt(3);
            double[] img = new double[side * side];
            for (int j = 0; j < k; j++) {
                double cx = rng.nextDouble() * side;
                double cy = rng.nextDouble() * side;
                double a = 80 + 175 * rng.nextDouble();
                double s = 0.8 + 1.5 * rng.nextDouble();
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                        img[y * side + x] += a * Math.exp(-d2 / (2 * s * s));
                    }
                }
            }
            for (int p = 0; p < side * side; p++) {
                out[i * side * side + p] = (byte) Math.min(255, (int) Math.round(img[p] + 10 * rng.nextDouble()));
            }
        }
        return out;
    }

    static void writeIdx(Path file, byte[] pixels, int n, int side, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x00000803);
            d.writeInt(n);
            d.writeInt(side);
            d.writeInt(side);
            d.write(pixels);
        }
    }

    /** Pixels {@code v / 255} as {@code (n, 1, side, side)} double. */
    static INDArray unit(byte[] pixels, int n, int side) {
        double[] v = new double[pixels.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (pixels[i] & 0xFF) / 255.0;
        }
        return Nd4j.createFromArray(v).reshape(n, 1, side, side);
    }

    /** Labels: the quadrant of the brightest pixel. */
    static INDArray quadrants(INDArray x) {
        int n = (int) x.size(0);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 4);
        for (int i = 0; i < n; i++) {
            int arg = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).reshape(SIDE * SIDE).argMax(0).getInt(0);
            int q = (arg / SIDE >= SIDE / 2 ? 2 : 0) + (arg % SIDE >= SIDE / 2 ? 1 : 0);
            y.putScalar(i, q, 1.0);
        }
        return y;
    }

    static MultiLayerNetwork trainedNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(21).dataType(DataType.DOUBLE)
                .updater(new Adam(5e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(16).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(2, 2).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(24).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIDE, SIDE, 1)).build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        Random rng = new Random(17);
        for (int step = 0; step < 60; step++) {
            INDArray x = unit(blobs(64, SIDE, rng), 64, SIDE);
            n.fit(new DataSet(x, quadrants(x)));
        }
        return n;
    }

    private static Model load(Path p) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(p.toFile(), false);
    }

    /** Mean squared difference of the output probabilities from the full network's. */
    private static double distance(Model m, INDArray x) {
        INDArray full = net.output(x, false);
        INDArray o = Dl4jNetwork.of(m).output(x)[0];
        return o.sub(full).norm2Number().doubleValue() / Math.sqrt(x.size(0));
    }

    private static String[] args(String spec) {
        List<String> a = new ArrayList<>();
        for (String s : spec.trim().split(" +")) {
            a.add(s.replace("@IN@", in.toString()).replace("@OUT@", out.toString()));
        }
        return a.toArray(new String[0]);
    }

    @Test
    void aCalibratedResizeIsCloserToTheFullNetworkOnImagesItWasNotCalibratedOn() throws IOException {
        Result plain = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/plain.zip"));
        assertEquals(0, plain.code(), plain.toString());
        Result cal = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/cal.zip --calibration"
                + " @IN@/images-idx3-ubyte.gz --calibration-size 300 --seed 4"));
        assertEquals(0, cal.code(), cal.toString());
        assertTrue(cal.out().contains("calibrated on 300 image(s) from"), cal.toString());
        INDArray test = unit(blobs(200, SIDE, new Random(99)), 200, SIDE);
        Model uncalibrated = load(out.resolve("plain.zip"));
        Model calibrated = load(out.resolve("cal.zip"));
        assertEquals(uncalibrated.numParams(), calibrated.numParams(), "same sizes");
        double before = distance(uncalibrated, test);
        double after = distance(calibrated, test);
        assertTrue(after < 0.7 * before, "calibration brings the output closer to the full network's: " + before
                + " -> " + after);
        INDArray labels = quadrants(test);
        double accFull = accuracy(net, test, labels);
        double accCal = accuracy(calibrated, test, labels);
        double accPlain = accuracy(uncalibrated, test, labels);
        assertTrue(accCal >= accPlain + 0.1, "accuracy " + accPlain + " -> " + accCal + " (full " + accFull + ")");

        Result again = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/cal2.zip --calibration"
                + " @IN@/images-idx3-ubyte.gz --calibration-size 300 --seed 4"));
        assertEquals(0, again.code(), again.toString());
        assertEquals(0.0, ((MultiLayerNetwork) calibrated).params().sub(load(out.resolve("cal2.zip")).params())
                .amaxNumber().doubleValue(), "same seed, same network");
    }

    private static double accuracy(Model m, INDArray x, INDArray labels) {
        INDArray o = Dl4jNetwork.of(m).output(x)[0];
        return o.argMax(1).eq(labels.argMax(1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    @Test
    void gridPlacementCalibratesCloseToTheFullNetworkOnImagesItWasNotCalibratedOn() throws IOException {
        Result placed = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/placed.zip --calibration"
                + " @IN@/images-idx3-ubyte.gz --calibration-size 300 --seed 4 --grid-placement"));
        assertEquals(0, placed.code(), placed.toString());
        assertTrue(placed.out().contains("calibrated on 300 image(s) from"), placed.toString());
        Result plain = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/placed-plain.zip"));
        assertEquals(0, plain.code(), plain.toString());
        INDArray test = unit(blobs(200, SIDE, new Random(96)), 200, SIDE);
        double before = distance(load(out.resolve("placed-plain.zip")), test);
        double after = distance(load(out.resolve("placed.zip")), test);
        assertTrue(after < 0.7 * before, "placement + calibration brings the output closer: " + before + " -> "
                + after);
    }

    @Test
    void aFolderOfPngImagesCalibratesLikeTheSameImagesInIdx() throws IOException {
        Result r = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/png.zip --calibration @IN@/pngs"
                + " --pixel-scale unit --input-type " + INPUT_TYPE));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("calibrated on 40 image(s)"), r.toString());
        Result plain = run(args("resize @IN@/model.zip --ratio 0.5 --out @OUT@/png-plain.zip"));
        assertEquals(0, plain.code(), plain.toString());
        INDArray test = unit(blobs(100, SIDE, new Random(98)), 100, SIDE);
        assertTrue(distance(load(out.resolve("png.zip")), test) < distance(load(out.resolve("png-plain.zip")), test));
    }

    @Test
    void aSavedIntegralModelIsCalibratedToo() throws IOException {
        Result save = run(args("resize @IN@/model.zip --ratio 1 --out @OUT@/full-plain.zip --integral @OUT@/inn.zip"));
        assertEquals(0, save.code(), save.toString());
        Result plain = run(args("resize @OUT@/inn.zip --ratio 0.4 --out @OUT@/inn-plain.zip"));
        assertEquals(0, plain.code(), plain.toString());
        Result cal = run(args("resize @OUT@/inn.zip --ratio 0.4 --out @OUT@/inn-cal.zip --calibration"
                + " @IN@/images-idx3-ubyte.gz --calibration-size 200"));
        assertEquals(0, cal.code(), cal.toString());
        assertTrue(cal.out().contains("calibrated on 200 image(s)"), cal.toString());
        assertTrue(cal.out().contains("MACs per example:") && !cal.out().contains("not counted"),
                "MACs counted from the images' size: " + cal);
        INDArray test = unit(blobs(100, SIDE, new Random(97)), 100, SIDE);
        assertTrue(distance(load(out.resolve("inn-cal.zip")), test) < distance(load(out.resolve("inn-plain.zip")),
                test));
    }

    @Test
    void aMacsBudgetIsKeptByTheWrittenNetwork() throws IOException {
        for (double f : new double[] {0.5, 0.3}) {
            String name = "budget-" + f + ".zip";
            Result r = run(args("resize @IN@/model.zip --budget-macs " + f + " --calibration @IN@/images-idx3-ubyte.gz"
                    + " --out @OUT@/" + name));
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("budget: " + String.format(java.util.Locale.ROOT, "%.1f", 100 * f)
                    + "% of the full network's MACs"), r.toString());
            long full = macs(net);
            long small = macs(load(out.resolve(name)));
            assertTrue(small <= f * full, "MACs " + small + " <= " + f + " x " + full);
            assertTrue(small >= 0.6 * f * full, "the budget is used, not wasted: " + small + " of " + full);
        }
    }

    @Test
    void aParameterBudgetWithAMultipleIsKept() throws IOException {
        Result r = run(args("resize @IN@/model.zip --budget-params 0.4 --multiple 4 --calibration"
                + " @IN@/images-idx3-ubyte --out @OUT@/params.zip --input-type " + INPUT_TYPE));
        assertEquals(0, r.code(), r.toString());
        MultiLayerNetwork small = (MultiLayerNetwork) load(out.resolve("params.zip"));
        long sourceParams = net.numParams();
        assertTrue(small.numParams() <= 0.4 * sourceParams, small.numParams() + " <= 0.4 x " + sourceParams);
        for (String layer : new String[] {"conv1", "conv2", "fc1"}) {
            long nOut = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) small.getLayer(layer).conf().getLayer())
                    .getNOut();
            assertEquals(0, nOut % 4, layer + " has " + nOut + " channels, a multiple of 4");
        }
    }

    /** MACs of a plain network as the library counts them (the source network of a conversion). */
    private static long macs(Model m) {
        return IntegralWrapper.builder().permute(false).build().wrapModel(m)
                .metrics(InputType.convolutional(SIDE, SIDE, 1)).macsFull();
    }

    @Test
    void theHelpDescribesTheCalibrationAndBudgetOptions() {
        Result r = run("help", "resize");
        assertEquals(0, r.code(), r.toString());
        for (String o : new String[] {"--calibration=FILE", "--pixel-scale=SCALING", "--calibration-size=N",
            "--budget-macs=F", "--budget-params=F", "--multiple=M", "--grid-placement", "unit (v/255, the default"}) {
            assertTrue(r.out().contains(o), o + " in\n" + r.out());
        }
    }

    static Stream<Arguments> badInput() {
        String resize = "resize @IN@/model.zip --ratio 0.5 --out @OUT@/bad.zip ";
        return Stream.of(
                Arguments.of("missing images", resize + "--calibration @IN@/nope.gz", 1,
                        new String[] {"no such file or folder", "nope.gz", "--calibration"}),
                Arguments.of("empty folder", resize + "--calibration @IN@/empty-folder", 1,
                        new String[] {"empty-folder", "has no .png, .jpg or .jpeg files"}),
                Arguments.of("not an IDX file", resize + "--calibration @IN@/labels.txt", 1,
                        new String[] {"labels.txt", "not an IDX image file", "expected 0x00000803"}),
                Arguments.of("truncated IDX file", resize + "--calibration @IN@/truncated-idx3-ubyte", 1,
                        new String[] {"truncated", "declares 50 images of 10x10"}),
                Arguments.of("wrong image size, known from --input-type", resize + "--calibration"
                        + " @IN@/small-idx3-ubyte --input-type " + INPUT_TYPE, 1,
                        new String[] {"are 20 image(s) of 8x8x1", "reads 10x10x1 images (from --input-type)",
                            "Resize the images to 10x10"}),
                Arguments.of("wrong image size, found by the network", resize + "--calibration @IN@/small-idx3-ubyte",
                        1, new String[] {"(20 image(s) of 8x8x1) do not fit the network"}),
                Arguments.of("wrong channel count", "resize @IN@/two-channels.zip --ratio 0.5 --out @OUT@/bad.zip"
                        + " --calibration @IN@/images-idx3-ubyte", 1,
                        new String[] {"are 50 image(s) of 10x10x1", "reads HxWx2 images (read by layer 'conv1')",
                            "IDX files hold grey images"}),
                Arguments.of("budget and ratio", "resize @IN@/model.zip --ratio 0.5 --budget-macs 0.3 --calibration"
                        + " @IN@/images-idx3-ubyte --out @OUT@/bad.zip", 2,
                        new String[] {"--budget-macs chooses the size of every group", "--ratio"}),
                Arguments.of("budget and size", "resize @IN@/model.zip --size conv1.out=4 --budget-params 0.3"
                        + " --calibration @IN@/images-idx3-ubyte --out @OUT@/bad.zip", 2,
                        new String[] {"--budget-params chooses", "--size"}),
                Arguments.of("two budgets", "resize @IN@/model.zip --budget-macs 0.3 --budget-params 0.3"
                        + " --calibration @IN@/images-idx3-ubyte --out @OUT@/bad.zip", 2,
                        new String[] {"give one budget"}),
                Arguments.of("budget without images", "resize @IN@/model.zip --budget-macs 0.3 --out @OUT@/bad.zip", 2,
                        new String[] {"--budget-macs needs --calibration FILE"}),
                Arguments.of("budget 0", "resize @IN@/model.zip --budget-macs 0 --out @OUT@/bad.zip", 2,
                        new String[] {"'0' is outside (0, 1]"}),
                Arguments.of("budget NaN", "resize @IN@/model.zip --budget-macs NaN --out @OUT@/bad.zip", 2,
                        new String[] {"'NaN' is not a decimal number"}),
                Arguments.of("unreachable budget", "resize @IN@/model.zip --budget-macs 0.001 --calibration"
                        + " @IN@/images-idx3-ubyte --out @OUT@/bad.zip", 2,
                        new String[] {"cannot be met"}),
                Arguments.of("multiple without budget", resize + "--multiple 4", 2,
                        new String[] {"--multiple applies to a budget"}),
                Arguments.of("multiple 0", resize + "--multiple 0", 2,
                        new String[] {"'0' is not a whole number from 1"}),
                Arguments.of("pixel scale without images", resize + "--pixel-scale raw", 2,
                        new String[] {"--pixel-scale only applies with --calibration FILE"}),
                Arguments.of("calibration size without images", resize + "--calibration-size 64", 2,
                        new String[] {"--calibration-size only applies with --calibration FILE"}),
                Arguments.of("unknown pixel scale", resize + "--calibration @IN@/images-idx3-ubyte --pixel-scale"
                        + " percent", 2, new String[] {"pixel scaling must be unit", "got 'percent'"}),
                Arguments.of("calibration size 0", resize + "--calibration @IN@/images-idx3-ubyte"
                        + " --calibration-size 0", 2, new String[] {"'0' is not a whole number from 1"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badCalibrationInputFailsClearlyAndWritesNothing(String name, String spec, int exit, String[] fragments)
            throws IOException {
        Map<String, String> before = TestModels.snapshot(root);
        Result r = run(args(spec));
        assertEquals(exit, r.code(), name + ": exit status\n" + r);
        assertTrue(r.err().startsWith("error: "), name + ": the error comes first\n" + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), name + ": '" + f + "' in the message\n" + r);
        }
        assertFalse(r.err().contains("\tat "), name + ": no stack trace\n" + r);
        assertEquals("", r.out(), name + ": no result printed\n" + r);
        assertEquals(before, TestModels.snapshot(root), name + ": files unchanged, nothing left behind");
    }
}
