package org.integral4j.examples.sr;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A grey-scale image as luma values in [0, 1], row-major {@code (height, width)}. Colour images
 * are converted with the ITU-R BT.601 weights {@code Y = 0.299 R + 0.587 G + 0.114 B}.
 *
 * @param name   where it came from
 * @param height rows
 * @param width  columns
 * @param pixels {@code height * width} values, row-major
 */
public record LumaImage(String name, int height, int width, float[] pixels) {

    /** Checks the size. */
    public LumaImage {
        if (pixels.length != height * width) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixels for " + height + "x" + width);
        }
    }

    /**
     * @param file a PNG or JPEG
     * @return its luma
     * @throws IOException when it cannot be read or is not an image
     */
    public static LumaImage read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not an image ImageIO can read: " + file);
        }
        int h = img.getHeight();
        int w = img.getWidth();
        float[] y = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int rgb = img.getRGB(c, r);
                y[r * w + c] = (float) ((0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF)
                        + 0.114 * (rgb & 0xFF)) / 255.0);
            }
        }
        return new LumaImage(file.getFileName().toString(), h, w, y);
    }

    /** @return the value at (row, column) */
    public float at(int r, int c) {
        return pixels[r * width + c];
    }

    /** @return this image cropped to even height and width (the last row/column dropped if odd) */
    public LumaImage evenCrop() {
        int h = height & ~1;
        int w = width & ~1;
        return crop(0, 0, h, w);
    }

    /**
     * @return the {@code h x w} window at {@code (top, left)}
     */
    public LumaImage crop(int top, int left, int h, int w) {
        float[] out = new float[h * w];
        for (int r = 0; r < h; r++) {
            System.arraycopy(pixels, (top + r) * width + left, out, r * w, w);
        }
        return new LumaImage(name, h, w, out);
    }

    /**
     * The degradation of the study: 2x2 box averaging (height and width must be even).
     *
     * @return the half-size image
     */
    public LumaImage downscale2() {
        int h = height / 2;
        int w = width / 2;
        float[] out = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                out[r * w + c] = (at(2 * r, 2 * c) + at(2 * r, 2 * c + 1) + at(2 * r + 1, 2 * c)
                        + at(2 * r + 1, 2 * c + 1)) / 4f;
            }
        }
        return new LumaImage(name, h, w, out);
    }

    /**
     * Bicubic x2 upscaling (Keys' cubic convolution, a = -0.5, edge pixels repeated), with
     * the sample positions of a 2x2 box degradation: output pixel {@code i} sits at input
     * coordinate {@code (i + 0.5) / 2 - 0.5}.
     *
     * @return the double-size image
     */
    public LumaImage bicubic2() {
        int h = 2 * height;
        int w = 2 * width;
        float[] tmp = new float[height * w];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < w; c++) {
                tmp[r * w + c] = cubic(pixels, r * width, 1, width, (c + 0.5) / 2 - 0.5);
            }
        }
        float[] out = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                out[r * w + c] = cubic(tmp, c, w, height, (r + 0.5) / 2 - 0.5);
            }
        }
        return new LumaImage(name, h, w, out);
    }

    private static float cubic(float[] a, int offset, int stride, int n, double x) {
        int x0 = (int) Math.floor(x);
        double t = x - x0;
        double sum = 0;
        for (int k = -1; k <= 2; k++) {
            int i = Math.max(0, Math.min(n - 1, x0 + k));
            sum += a[offset + i * stride] * keys(k - t);
        }
        return (float) sum;
    }

    /** Keys' cubic convolution kernel with a = -0.5. */
    private static double keys(double s) {
        double x = Math.abs(s);
        if (x <= 1) {
            return 1.5 * x * x * x - 2.5 * x * x + 1;
        }
        if (x < 2) {
            return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
        }
        return 0;
    }

    /**
     * Peak signal-to-noise ratio against a reference of the same size, values clamped to [0, 1],
     * ignoring {@code shave} pixels at each border (as usual for x2 super-resolution):
     * {@code PSNR = 10 log10(1 / MSE)}.
     *
     * @param reference the ground truth
     * @param shave     border pixels ignored
     * @return PSNR in dB
     */
    public double psnr(LumaImage reference, int shave) {
        if (reference.height != height || reference.width != width) {
            throw new IllegalArgumentException("PSNR of " + height + "x" + width + " against " + reference.height + "x"
                    + reference.width + " (" + name + ")");
        }
        double se = 0;
        long n = 0;
        for (int r = shave; r < height - shave; r++) {
            for (int c = shave; c < width - shave; c++) {
                double d = Math.max(0, Math.min(1, at(r, c))) - reference.at(r, c);
                se += d * d;
                n++;
            }
        }
        return 10 * Math.log10(n / se);
    }
}
