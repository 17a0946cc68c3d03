package org.integral4j.layers.ops;

import org.integral4j.util.Checks;

/**
 * The geometry of a 2-D convolution: kernel, stride, padding, dilation, the padding mode and the
 * layout of the activations, {@link DataFormat#NCHW} {@code x: (batch, channels, height, width)}
 * or {@link DataFormat#NHWC} {@code x: (batch, height, width, channels)} (channels-last, as
 * Keras/TensorFlow). In {@link Mode#TRUNCATE} (DL4J's {@code ConvolutionMode.Truncate}) the
 * output size is {@code floor((in + 2 p - d (k - 1) - 1) / s) + 1} with explicit padding
 * {@code p}; in {@link Mode#SAME} it is {@code ceil(in / s)} and the padding is chosen by the op.
 * The weight layout does not depend on the data format: it is always
 * {@code (out, in / groups, kH, kW)}. Immutable.
 */
public final class ConvGeometry {

    /** Padding mode. */
    public enum Mode {
        /** Explicit padding; the output is truncated. */
        TRUNCATE,
        /** Padding chosen so that the output size is ceil(in / stride). */
        SAME
    }

    /**
     * Layout of 4-D activations. (The ops package stays free of DL4J; the layer configurations
     * map DL4J's {@code CNN2DFormat} onto this by name.)
     */
    public enum DataFormat {
        /** Channels-first {@code (batch, channels, height, width)}. */
        NCHW(1, 2, 3),
        /** Channels-last {@code (batch, height, width, channels)}. */
        NHWC(3, 1, 2);

        private final int channelAxis;
        private final int heightAxis;
        private final int widthAxis;

        DataFormat(int channelAxis, int heightAxis, int widthAxis) {
            this.channelAxis = channelAxis;
            this.heightAxis = heightAxis;
            this.widthAxis = widthAxis;
        }

        /**
         * The channel axis of a 4-D activation.
         *
         * @return 1 (NCHW) or 3 (NHWC)
         */
        public int channelAxis() {
            return channelAxis;
        }

        /**
         * The height axis of a 4-D activation.
         *
         * @return 2 (NCHW) or 1 (NHWC)
         */
        public int heightAxis() {
            return heightAxis;
        }

        /**
         * The width axis of a 4-D activation.
         *
         * @return 3 (NCHW) or 2 (NHWC)
         */
        public int widthAxis() {
            return widthAxis;
        }

        /**
         * The shape of a 4-D activation in this layout.
         *
         * @param batch    batch size
         * @param channels channel count
         * @param height   height
         * @param width    width
         * @return {@code (batch, channels, height, width)} or {@code (batch, height, width, channels)}
         */
        public long[] shape(long batch, long channels, long height, long width) {
            return this == NCHW ? new long[] {batch, channels, height, width}
                    : new long[] {batch, height, width, channels};
        }

        /**
         * The named axes for messages.
         *
         * @param channels the channel axis's name, e.g. "in"
         * @return e.g. {@code "(batch, H, W, in)"}
         */
        String axes(String channels) {
            return this == NCHW ? "(batch, " + channels + ", H, W)" : "(batch, H, W, " + channels + ")";
        }
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
    private final DataFormat format;

    /**
     * Creates a geometry on NCHW activations.
     *
     * @param kernel   {@code (kH, kW)}, each at least 1
     * @param stride   {@code (sH, sW)}, each at least 1
     * @param padding  {@code (pH, pW)}, each at least 0 (ignored in SAME mode)
     * @param dilation {@code (dH, dW)}, each at least 1
     * @param mode     padding mode
     */
    public ConvGeometry(int[] kernel, int[] stride, int[] padding, int[] dilation, Mode mode) {
        this(kernel, stride, padding, dilation, mode, DataFormat.NCHW);
    }

    /**
     * Creates a geometry.
     *
     * @param kernel   {@code (kH, kW)}, each at least 1
     * @param stride   {@code (sH, sW)}, each at least 1
     * @param padding  {@code (pH, pW)}, each at least 0 (ignored in SAME mode)
     * @param dilation {@code (dH, dW)}, each at least 1
     * @param mode     padding mode
     * @param format   layout of the input and output activations
     */
    public ConvGeometry(int[] kernel, int[] stride, int[] padding, int[] dilation, Mode mode, DataFormat format) {
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
        this.format = Checks.requireNonNull(where, "data format", format);
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
     * format (0 NCHW, 1 NHWC) and weight format (1: {@code [out, in, kH, kW]}, for both data
     * formats).
     *
     * @return eleven integers
     */
    int[] opArguments() {
        return new int[] {kH, kW, sH, sW, pH, pW, dH, dW, mode == Mode.SAME ? 1 : 0,
            format == DataFormat.NHWC ? 1 : 0, 1};
    }

    /** Whether this is a 3x3 kernel with stride and dilation 1. */
    boolean isUnitStride3x3() {
        return kH == 3 && kW == 3 && sH == 1 && sW == 1 && dH == 1 && dW == 1;
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

    /**
     * The layout of the activations.
     *
     * @return NCHW or NHWC
     */
    public DataFormat dataFormat() {
        return format;
    }

    /**
     * This geometry on activations of another layout.
     *
     * @param dataFormat the layout
     * @return a geometry with the same kernel, stride, padding, dilation and mode
     */
    public ConvGeometry withDataFormat(DataFormat dataFormat) {
        return new ConvGeometry(new int[] {kH, kW}, new int[] {sH, sW}, new int[] {pH, pW}, new int[] {dH, dW}, mode,
                dataFormat);
    }

    @Override
    public String toString() {
        return "ConvGeometry[kernel " + kH + "x" + kW + ", stride " + sH + "x" + sW + ", padding " + pH + "x" + pW
                + ", dilation " + dH + "x" + dW + ", " + mode + ", " + format + "]";
    }
}
