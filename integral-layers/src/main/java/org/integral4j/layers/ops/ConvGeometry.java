package org.integral4j.layers.ops;

import org.integral4j.util.Checks;

/**
 * The geometry of a 2-D convolution over {@code x: (batch, channels, height, width)} (NCHW):
 * kernel, stride, padding, dilation and the padding mode. In {@link Mode#TRUNCATE} (DL4J's
 * {@code ConvolutionMode.Truncate}) the output size is
 * {@code floor((in + 2 p - d (k - 1) - 1) / s) + 1} with explicit padding {@code p}; in
 * {@link Mode#SAME} it is {@code ceil(in / s)} and the padding is chosen by the op. Immutable.
 */
public final class ConvGeometry {

    /** Padding mode. */
    public enum Mode {
        /** Explicit padding; the output is truncated. */
        TRUNCATE,
        /** Padding chosen so that the output size is ceil(in / stride). */
        SAME
    }

    private final int kH;
    private final int kW;
    private final int sH;
    private final int sW;
    private final int pH;
    private final int pW;
    private final int dH;
    private final int dW;
    private final Mode mode;

    /**
     * Creates a geometry.
     *
     * @param kernel   {@code (kH, kW)}, each at least 1
     * @param stride   {@code (sH, sW)}, each at least 1
     * @param padding  {@code (pH, pW)}, each at least 0 (ignored in SAME mode)
     * @param dilation {@code (dH, dW)}, each at least 1
     * @param mode     padding mode
     */
    public ConvGeometry(int[] kernel, int[] stride, int[] padding, int[] dilation, Mode mode) {
        String where = "ConvGeometry";
        Checks.require(kernel.length == 2 && stride.length == 2 && padding.length == 2 && dilation.length == 2, where,
                "kernel, stride, padding and dilation need two values each (height, width).");
        this.kH = Checks.requireAtLeast(where, "kernel height", kernel[0], 1, "");
        this.kW = Checks.requireAtLeast(where, "kernel width", kernel[1], 1, "");
        this.sH = Checks.requireAtLeast(where, "stride height", stride[0], 1, "");
        this.sW = Checks.requireAtLeast(where, "stride width", stride[1], 1, "");
        this.pH = Checks.requireAtLeast(where, "padding height", padding[0], 0, "");
        this.pW = Checks.requireAtLeast(where, "padding width", padding[1], 0, "");
        this.dH = Checks.requireAtLeast(where, "dilation height", dilation[0], 1, "");
        this.dW = Checks.requireAtLeast(where, "dilation width", dilation[1], 1, "");
        this.mode = Checks.requireNonNull(where, "mode", mode);
    }

    /**
     * Output spatial size.
     *
     * @param height input height
     * @param width  input width
     * @return {@code (outHeight, outWidth)}
     */
    public long[] outputSize(long height, long width) {
        if (mode == Mode.SAME) {
            return new long[] {(height + sH - 1) / sH, (width + sW - 1) / sW};
        }
        long h = (height + 2L * pH - (long) dH * (kH - 1) - 1) / sH + 1;
        long w = (width + 2L * pW - (long) dW * (kW - 1) - 1) / sW + 1;
        return new long[] {h, w};
    }

    /**
     * The integer arguments of libnd4j's {@code conv2d}, {@code conv2d_bp},
     * {@code depthwise_conv2d(_bp)}: kernel, stride, padding, dilation, same-mode flag, data
     * format NCHW (0) and weight format (1: {@code [out, in, kH, kW]}).
     *
     * @return eleven integers
     */
    int[] opArguments() {
        return new int[] {kH, kW, sH, sW, pH, pW, dH, dW, mode == Mode.SAME ? 1 : 0, 0, 1};
    }

    /**
     * Kernel height.
     *
     * @return kH
     */
    public int kernelHeight() {
        return kH;
    }

    /**
     * Kernel width.
     *
     * @return kW
     */
    public int kernelWidth() {
        return kW;
    }

    /**
     * The padding mode.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return "ConvGeometry[kernel " + kH + "x" + kW + ", stride " + sH + "x" + sW + ", padding " + pH + "x" + pW
                + ", dilation " + dH + "x" + dW + ", " + mode + "]";
    }
}
