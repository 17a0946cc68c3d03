package org.integral4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.integral4j.convert.calibration.CalibrationImages;
import org.integral4j.convert.calibration.CalibrationInputs;
import org.integral4j.convert.calibration.PixelScaling;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The calibration images of {@code resize --calibration FILE}: an IDX image file ({@code .gz} or
 * not; grey) or a folder of PNG/JPEG files, read with {@link CalibrationImages} and shaped the way
 * the network reads its input.
 *
 * <p>What the network reads ({@link Expected}) comes from {@code --input-type} when given, else from
 * the layers that read the network input: a convolution reads {@code (n, nIn, height, width)}
 * (channels-last for an NHWC convolution), a flattening preprocessor in front of a dense layer
 * names the image size, a {@code FeedForwardToCnnPreProcessor} (input type
 * {@code convolutionalFlat}) or a dense layer reads flat rows of {@code nIn} values. Images whose
 * channel count or size differ from what is known are rejected before any conversion work, with
 * both sizes and how to fix it; otherwise one forward pass of one image is the final check
 * ({@link CalibrationInputs#validate}).
 */
final class CalibrationFile {

    /** The option that names the images, for messages. */
    static final String OPTION = "--calibration";

    private CalibrationFile() {
    }

    /**
     * What the network reads, as far as it is known.
     *
     * @param flat     rows of {@code channels * height * width} values (else images)
     * @param channels channels, or -1 when unknown
     * @param height   image height, or -1 when unknown
     * @param width    image width, or -1 when unknown
     * @param length   flat row length, or -1 when unknown (images, or flat with unknown image size)
     * @param nhwc     channels-last images
     * @param source   where this is known from, for messages
     */
    record Expected(boolean flat, long channels, long height, long width, long length, boolean nhwc, String source) {

        /** Nothing known: channels-first images, checked by a forward pass only. */
        static Expected unknown() {
            return new Expected(false, -1, -1, -1, -1, false, "");
        }

        /** A description for messages, e.g. {@code 28x28x1 images (from --input-type)}. */
        String describe() {
            String size = (height > 0 ? height + "x" + width : "HxW") + "x" + (channels > 0 ? channels : "C");
            String what = flat
                    ? (length > 0 ? "flat rows of " + length + " values" : "flat rows")
                            + (height > 0 ? " (" + size + " images)" : "")
                    : size + " images" + (nhwc ? " (channels last)" : "");
            return what + (source.isEmpty() ? "" : " (" + source + ")");
        }
    }

    /**
     * What a network reads.
     *
     * @param network    the (plain or integral) network
     * @param inputTypes the {@code --input-type} values (may be empty)
     * @return what is known about its input
     */
    static Expected expected(Dl4jNetwork network, InputType[] inputTypes) {
        if (inputTypes.length == 1) {
            InputType t = inputTypes[0];
            if (t instanceof InputType.InputTypeConvolutional c) {
                return new Expected(false, c.getChannels(), c.getHeight(), c.getWidth(), -1,
                        c.getFormat() == CNN2DFormat.NHWC, "from --input-type");
            }
            if (t instanceof InputType.InputTypeConvolutionalFlat c) {
                return new Expected(true, c.getDepth(), c.getHeight(), c.getWidth(), c.getFlattenedSize(), false,
                        "from --input-type");
            }
            if (t instanceof InputType.InputTypeFeedForward f) {
                return new Expected(true, -1, -1, -1, f.getSize(), false, "from --input-type");
            }
        }
        List<String> inputs = network.inputNames();
        if (inputs.size() != 1) {
            return Expected.unknown();
        }
        for (NodeSpec node : network.nodes()) {
            if (node.kind() != NodeSpec.Kind.LAYER || !inputs.equals(node.inputs())) {
                continue;
            }
            String src = "read by layer '" + node.name() + "'";
            InputPreProcessor p = node.preProcessor();
            Layer layer = node.layer();
            if (p instanceof FeedForwardToCnnPreProcessor f) {
                return new Expected(true, f.getNumChannels(), f.getInputHeight(), f.getInputWidth(),
                        f.getNumChannels() * f.getInputHeight() * f.getInputWidth(), false, src);
            }
            if (p instanceof CnnToFeedForwardPreProcessor c) {
                return new Expected(false, c.getNumChannels(), c.getInputHeight(), c.getInputWidth(), -1,
                        c.getFormat() == CNN2DFormat.NHWC, src);
            }
            if (p != null) {
                continue;
            }
            if (layer instanceof ConvolutionLayer c) {
                return new Expected(false, c.getNIn(), -1, -1, -1, c.getCnn2dDataFormat() == CNN2DFormat.NHWC, src);
            }
            if (layer instanceof IntegralConvolution2D c) {
                return new Expected(false, c.getNIn(), -1, -1, -1, c.getCnn2dFormat() == CNN2DFormat.NHWC, src);
            }
            if (layer instanceof FeedForwardLayer f && f.getNIn() > 0) {
                return new Expected(true, -1, -1, -1, f.getNIn(), false, src);
            }
        }
        return Expected.unknown();
    }

    /**
     * Reads the calibration images and shapes them for the network.
     *
     * @param path     the IDX file or image folder
     * @param scaling  the pixel scaling the network was trained with
     * @param limit    the most images
     * @param seed     which images, when the source has more than {@code limit}
     * @param network  the network that will read them (not modified)
     * @param expected what it reads ({@link #expected})
     * @return the inputs, validated against the network
     * @throws CliException a failure naming the file: missing, unreadable, not images, no images,
     *                      images of the wrong size or channel count, or inputs the network rejects
     */
    static INDArray read(Path path, PixelScaling scaling, int limit, long seed, Dl4jNetwork network,
                         Expected expected) throws CliException {
        if (!Files.exists(path)) {
            throw CliException.failure("no such file or folder: " + path + " (" + OPTION + ")", "Give an IDX image"
                    + " file (e.g. train-images-idx3-ubyte.gz) or a folder of PNG/JPEG images; relative paths start"
                    + " at " + Path.of("").toAbsolutePath() + ".", null);
        }
        boolean folder = Files.isDirectory(path);
        if (!Files.isReadable(path)) {
            throw CliException.failure("cannot read " + path + " (" + OPTION + "): permission denied.",
                    "Check the file's permissions.", null);
        }
        int channels = expected.channels() > 0 ? (int) expected.channels() : 1;
        if (folder && channels != 1 && channels != 3) {
            throw CliException.failure(String.format(Locale.ROOT, "the network reads %d channels (%s), but images"
                    + " from a folder have 1 (grey) or 3 (RGB).", channels, expected.source()),
                    "Calibrate with inputs prepared in code: IntegralModel.calibrate(INDArray).", null);
        }
        INDArray images;
        try {
            images = CalibrationImages.read(path, channels, scaling, limit, seed);
        } catch (IllegalArgumentException e) {
            throw CliException.failure("cannot use " + path + " as calibration images: "
                    + stripPrefix(CliException.describe(e)), folder ? "The folder must hold PNG or JPEG files of"
                    + " one size." : "Give an IDX image file (magic 0x00000803, e.g. train-images-idx3-ubyte.gz) or"
                    + " a folder of PNG/JPEG images.", e);
        } catch (IOException | RuntimeException e) {
            throw CliException.failure("cannot read calibration images from " + path + ": "
                    + CliException.describe(e), folder ? "Check that the folder's PNG/JPEG files are readable and"
                    + " intact." : "The file may be truncated or not an IDX image file (a .gz file must be gzip).", e);
        }
        INDArray x = shape(path, images, expected);
        try {
            CalibrationInputs.validate(network, x);
        } catch (IllegalArgumentException e) {
            throw CliException.failure("the images of " + path + " (" + dims(images) + ") do not fit the network: "
                    + CliException.describe(e), "Give images of the size and channel count the network was trained"
                    + " on (with --input-type the sizes are checked before anything else).", e);
        }
        return x;
    }

    /** Checks the images against what the network reads and flattens or permutes them. */
    private static INDArray shape(Path path, INDArray images, Expected e) throws CliException {
        long c = images.size(1);
        long h = images.size(2);
        long w = images.size(3);
        boolean sizeKnown = e.height() > 0 && e.width() > 0;
        if ((e.channels() > 0 && e.channels() != c) || (sizeKnown && (e.height() != h || e.width() != w))
                || (e.flat() && !sizeKnown && e.length() > 0 && e.length() != c * h * w)) {
            String fix;
            if (e.channels() > 0 && e.channels() != c) {
                fix = c == 1 && !Files.isDirectory(path) ? "IDX files hold grey images; give a folder of RGB PNG/JPEG"
                        + " images for a network that reads " + e.channels() + " channels."
                        : "Give images with " + e.channels() + " channel(s).";
            } else {
                fix = sizeKnown ? String.format(Locale.ROOT, "Resize the images to %dx%d (height x width), or give"
                        + " --input-type if the network reads another size.", e.height(), e.width())
                        : "Give images of the size the network was trained on.";
            }
            throw CliException.failure(String.format(Locale.ROOT, "the calibration images in %s are %s; the network"
                    + " reads %s.", path, dims(images), e.describe()), fix, null);
        }
        if (e.flat()) {
            return images.reshape('c', images.size(0), c * h * w);
        }
        return e.nhwc() ? images.permute(0, 2, 3, 1).dup('c') : images;
    }

    private static String dims(INDArray images) {
        return String.format(Locale.ROOT, "%d image(s) of %dx%dx%d", images.size(0), images.size(2), images.size(3),
                images.size(1));
    }

    private static String stripPrefix(String m) {
        return m.startsWith("CalibrationImages: ") ? m.substring("CalibrationImages: ".length()) : m;
    }

    /** {@code --pixel-scale}: the forms {@link PixelScaling#parse} accepts. */
    static final class Scaling implements ITypeConverter<PixelScaling> {
        @Override
        public PixelScaling convert(String value) {
            try {
                return PixelScaling.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
