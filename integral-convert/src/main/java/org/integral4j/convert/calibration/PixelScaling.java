package org.integral4j.convert.calibration;

import java.util.Locale;
import org.integral4j.util.Checks;

/**
 * How 8-bit pixel values {@code v} in {@code [0, 255]} become network inputs:
 * {@code x = v * scale + offset}. Use the scaling the network was trained with.
 *
 * @param scale  multiplier
 * @param offset added after scaling
 */
public record PixelScaling(double scale, double offset) {

    /** {@code v / 255}: inputs in [0, 1] (the examples' Fashion-MNIST loader, DL4J's ImagePreProcessingScaler). */
    public static final PixelScaling UNIT = new PixelScaling(1.0 / 255, 0);
    /** {@code v}: raw values in [0, 255]. */
    public static final PixelScaling RAW = new PixelScaling(1, 0);
    /** {@code v / 127.5 - 1}: inputs in [-1, 1]. */
    public static final PixelScaling SYMMETRIC = new PixelScaling(2.0 / 255, -1);

    /** Validates. */
    public PixelScaling {
        Checks.require(Double.isFinite(scale) && scale != 0 && Double.isFinite(offset), "PixelScaling",
                "scale must be finite and non-zero and offset finite, got scale %s, offset %s.", scale, offset);
    }

    /**
     * Standardisation {@code (v / 255 - mean) / std}.
     *
     * @param mean mean of the [0, 1] pixels
     * @param std  standard deviation of the [0, 1] pixels, positive
     * @return the scaling
     */
    public static PixelScaling standardized(double mean, double std) {
        Checks.require(std > 0, "PixelScaling", "std must be positive, got %s.", std);
        return new PixelScaling(1.0 / (255 * std), -mean / std);
    }

    /**
     * Parses a command-line value: {@code unit}, {@code raw}, {@code symmetric},
     * {@code standardize:MEAN,STD} or {@code affine:SCALE,OFFSET}.
     *
     * @param text the value
     * @return the scaling
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static PixelScaling parse(String text) {
        String usage = "pixel scaling must be unit (v/255), raw (v), symmetric (v/127.5-1), standardize:MEAN,STD "
                + "((v/255-MEAN)/STD) or affine:SCALE,OFFSET (v*SCALE+OFFSET); got '" + text + "'.";
        if (text == null) {
            throw new IllegalArgumentException(usage);
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "unit":
                return UNIT;
            case "raw":
                return RAW;
            case "symmetric":
                return SYMMETRIC;
            default:
                break;
        }
        int colon = t.indexOf(':');
        if (colon > 0) {
            String[] p = t.substring(colon + 1).split(",");
            try {
                if (p.length == 2 && t.startsWith("standardize:")) {
                    return standardized(Double.parseDouble(p[0]), Double.parseDouble(p[1]));
                }
                if (p.length == 2 && t.startsWith("affine:")) {
                    return new PixelScaling(Double.parseDouble(p[0]), Double.parseDouble(p[1]));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage, e);
            }
        }
        throw new IllegalArgumentException(usage);
    }

    /**
     * Applies the scaling.
     *
     * @param v a pixel value
     * @return the input value
     */
    public double apply(int v) {
        return v * scale + offset;
    }
}
