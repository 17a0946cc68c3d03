package org.integral4j.convert.calibration;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads calibration images into an {@link INDArray} {@code (n, channels, height, width)} (NCHW,
 * float) with a {@link PixelScaling}: an IDX image file (the MNIST format: magic {@code 0x00000803},
 * unsigned bytes, dimensions {@code n, height, width}; gzip-compressed when the name ends in
 * {@code .gz}) or a folder of PNG/JPEG files (read by the JDK's {@link ImageIO}; in name order; all
 * of one size). This is what a command line's {@code --calibration FILE} needs; labels are never
 * read. At most {@code limit} images are taken (the first ones, or a seeded random choice).
 */
public final class CalibrationImages {

    private static final int IDX_UBYTE_3D = 0x00000803;

    private CalibrationImages() {
    }

    /**
     * Reads a file or folder: a directory is read as PNG/JPEG images, anything else as IDX.
     *
     * @param path     an IDX file ({@code .gz} allowed) or a folder of images
     * @param channels for images: 1 (grey, luminance) or 3 (RGB); IDX files are always 1
     * @param scaling  the pixel scaling
     * @param limit    the most images, at least 1
     * @param seed     when the source has more than {@code limit} images, which ones: null for the
     *                 first {@code limit}, else a random choice with this seed
     * @return {@code (n, channels, height, width)} float
     * @throws IOException when reading fails
     */
    public static INDArray read(Path path, int channels, PixelScaling scaling, int limit, Long seed)
            throws IOException {
        Checks.requireNonNull("CalibrationImages", "path", path);
        if (Files.isDirectory(path)) {
            return readFolder(path, channels, scaling, limit, seed);
        }
        return readIdx(path, scaling, limit, seed);
    }

    /**
     * Reads an IDX image file (unsigned bytes, 3 dimensions).
     *
     * @param file    the file ({@code .gz}: gzip)
     * @param scaling the pixel scaling
     * @param limit   the most images, at least 1
     * @param seed    null for the first images, else a seeded random choice
     * @return {@code (n, 1, height, width)} float
     * @throws IOException              when reading fails
     * @throws IllegalArgumentException when the file is not an IDX image file or is truncated
     */
    public static INDArray readIdx(Path file, PixelScaling scaling, int limit, Long seed) throws IOException {
        Checks.require(limit >= 1, "CalibrationImages", "limit must be at least 1, got %d.", limit);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("CalibrationImages: no such file: " + file + ".");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(new BufferedInputStream(raw))
                     : new BufferedInputStream(raw);
             DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            if (magic != IDX_UBYTE_3D) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "CalibrationImages: %s is not an IDX "
                        + "image file: magic number 0x%08x, expected 0x%08x (unsigned bytes, 3 dimensions: images, "
                        + "rows, columns). A labels file (0x00000801) cannot be used as calibration images.", file,
                        magic, IDX_UBYTE_3D));
            }
            int n = data.readInt();
            int h = data.readInt();
            int w = data.readInt();
            Checks.require(n >= 1 && h >= 1 && w >= 1, "CalibrationImages",
                    "%s declares %d images of %dx%d; nothing to read.", file, n, h, w);
            int[] chosen = choose(n, limit, seed);
            boolean[] wanted = new boolean[n];
            int[] slot = new int[n];
            for (int i = 0; i < chosen.length; i++) {
                wanted[chosen[i]] = true;
                slot[chosen[i]] = i;
            }
            int last = 0;
            for (int c : chosen) {
                last = Math.max(last, c);
            }
            float[] out = new float[chosen.length * h * w];
            byte[] image = new byte[h * w];
            for (int i = 0; i <= last; i++) {
                try {
                    data.readFully(image);
                } catch (EOFException e) {
                    throw new IllegalArgumentException("CalibrationImages: " + file + " is truncated: it declares " + n
                            + " images of " + h + "x" + w + " but ends in image " + i + ".", e);
                }
                if (wanted[i]) {
                    int base = slot[i] * h * w;
                    for (int p = 0; p < h * w; p++) {
                        out[base + p] = (float) scaling.apply(image[p] & 0xFF);
                    }
                }
            }
            return Nd4j.create(out, new long[] {chosen.length, 1, h, w}, DataType.FLOAT);
        }
    }

    /**
     * Reads the PNG and JPEG files of a folder (not its subfolders), in name order.
     *
     * @param dir      the folder
     * @param channels 1 (grey: {@code 0.299 R + 0.587 G + 0.114 B}, rounded) or 3 (RGB)
     * @param scaling  the pixel scaling
     * @param limit    the most images, at least 1
     * @param seed     null for the first images (name order), else a seeded random choice
     * @return {@code (n, channels, height, width)} float
     * @throws IOException              when reading fails
     * @throws IllegalArgumentException when there are no images, one cannot be decoded, or sizes differ
     */
    public static INDArray readFolder(Path dir, int channels, PixelScaling scaling, int limit, Long seed)
            throws IOException {
        Checks.require(channels == 1 || channels == 3, "CalibrationImages", "channels must be 1 or 3, got %d.",
                channels);
        Checks.require(limit >= 1, "CalibrationImages", "limit must be at least 1, got %d.", limit);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
            }).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("CalibrationImages: " + dir + " has no .png, .jpg or .jpeg files.");
        }
        int[] chosen = choose(files.size(), limit, seed);
        int h = -1;
        int w = -1;
        float[] out = null;
        for (int i = 0; i < chosen.length; i++) {
            Path f = files.get(chosen[i]);
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) {
                throw new IllegalArgumentException("CalibrationImages: " + f + " could not be decoded as PNG or JPEG.");
            }
            if (h < 0) {
                h = img.getHeight();
                w = img.getWidth();
                out = new float[chosen.length * channels * h * w];
            } else if (img.getHeight() != h || img.getWidth() != w) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "CalibrationImages: %s is %dx%d, the "
                        + "first image %s is %dx%d; calibration images must all have the network's input size.", f,
                        img.getWidth(), img.getHeight(), files.get(chosen[0]), w, h));
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF;
                    int g = (rgb >> 8) & 0xFF;
                    int b = rgb & 0xFF;
                    if (channels == 1) {
                        int grey = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                        out[(i * h + y) * w + x] = (float) scaling.apply(grey);
                    } else {
                        int[] v = {r, g, b};
                        for (int c = 0; c < 3; c++) {
                            out[((i * 3 + c) * h + y) * w + x] = (float) scaling.apply(v[c]);
                        }
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {chosen.length, channels, h, w}, DataType.FLOAT);
    }

    /** {@code min(n, limit)} indices: the first ones, or a seeded random choice in ascending order. */
    private static int[] choose(int n, int limit, Long seed) {
        int k = Math.min(n, limit);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (seed != null && k < n) {
            Random rng = new Random(seed);
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(n - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        int[] out = Arrays.copyOf(idx, k);
        Arrays.sort(out);
        return out;
    }
}
