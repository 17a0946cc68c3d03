package org.integral4j.layers.conf;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.integral4j.layers.ops.ConvGeometry;
import org.integral4j.util.Checks;

/**
 * An integral 2-D convolution on NCHW activations {@code x: (batch, in*, H, W)} or, with
 * {@link CNN2DFormat#NHWC} (channels-last, as DL4J's Keras import of TensorFlow models),
 * {@code x: (batch, H, W, in*)}, with weight {@code W: (out*, in* / groups, kH, kW)} in either
 * format (as DL4J's {@code ConvolutionLayer} stores it) and bias {@code b: (out*)} sampled from
 * weight functions. The output has the input's layout. Output size:
 * {@code floor((H + 2p - d (k - 1) - 1) / s) + 1} in Truncate/Strict mode, {@code ceil(H / s)} in
 * Same mode (as DL4J's {@code ConvolutionLayer}).
 *
 * <p>The data format is configured ({@link Builder#dataFormat}, default NCHW) and checked against
 * the network's input type; unlike DL4J's {@code ConvolutionLayer}, the layer does not silently
 * adopt the input type's format, so a configuration says which layout its weights were trained on.
 */
public class IntegralConvolution2D extends IntegralConvolution {

    private static final long serialVersionUID = 1L;

    private CNN2DFormat cnn2dFormat = CNN2DFormat.NCHW;

    /** For JSON deserialisation. */
    protected IntegralConvolution2D() {
    }

    private IntegralConvolution2D(Builder b) {
        super(b);
        this.cnn2dFormat = b.cnn2dFormat;
    }

    @Override
    public boolean oneDimensional() {
        return false;
    }

    @Override
    protected ConvGeometry.DataFormat activationLayout() {
        return cnn2dFormat == CNN2DFormat.NHWC ? ConvGeometry.DataFormat.NHWC : ConvGeometry.DataFormat.NCHW;
    }

    @Override
    public void validate() {
        super.validate();
        Checks.requireNonNull(describe(), "cnn2dFormat", cnn2dFormat);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireFormat(describe(), cnn2dFormat, convolutional(inputType));
        return InputTypeUtil.getOutputTypeCnnLayers(inputType, getKernelSize(), getStride(), getPadding(),
                getDilation(), getConvolutionMode(), nOut, layerIndex, getLayerName(), cnn2dFormat,
                IntegralConvolution2D.class);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional c = convolutional(inputType);
        requireFormat(describe(), cnn2dFormat, c);
        if (nIn <= 0 || override) {
            nIn = c.getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        Checks.require(cnn2dFormat == CNN2DFormat.NCHW || !(inputType instanceof InputType.InputTypeConvolutionalFlat),
                describe(), "the layer is configured for NHWC, but the input type is %s, which DL4J's "
                        + "FeedForwardToCnnPreProcessor reshapes to NCHW. Use InputType.convolutional(h, w, c, "
                        + "CNN2DFormat.NHWC) with rank-4 NHWC data, or configure the layer with "
                        + "dataFormat(CNN2DFormat.NCHW).", inputType);
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    private InputType.InputTypeConvolutional convolutional(InputType inputType) {
        Checks.require(inputType instanceof InputType.InputTypeConvolutional, describe(),
                "expected a convolutional input type (InputType.convolutional(h, w, c, format)), got %s.", inputType);
        return (InputType.InputTypeConvolutional) inputType;
    }

    /**
     * Requires a convolutional input type in the layer's data format (shared by the integral
     * convolution and batch normalisation).
     *
     * @param where      the layer, for the message
     * @param configured the layer's format
     * @param input      the input type
     */
    static void requireFormat(String where, CNN2DFormat configured, InputType.InputTypeConvolutional input) {
        Checks.require(input.getFormat() == configured, where,
                "the input activations are %s (input type %s), but the layer is configured for %s. Configure the "
                        + "layer with dataFormat(CNN2DFormat.%s) (channels-last Keras models are NHWC), or feed it %s "
                        + "activations.", input.getFormat(), input, configured, input.getFormat(), configured);
    }

    /**
     * The layout of the activations.
     *
     * @return NCHW or NHWC
     */
    public CNN2DFormat getCnn2dFormat() {
        return cnn2dFormat;
    }

    /**
     * Sets the layout of the activations.
     *
     * @param cnn2dFormat NCHW or NHWC
     */
    public void setCnn2dFormat(CNN2DFormat cnn2dFormat) {
        this.cnn2dFormat = cnn2dFormat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegralConvolution2D c && super.equals(o) && cnn2dFormat == c.cnn2dFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), cnn2dFormat);
    }

    /** Builds an {@link IntegralConvolution2D}. */
    public static class Builder extends IntegralConvolution.Builder<Builder> {
        private CNN2DFormat cnn2dFormat = CNN2DFormat.NCHW;

        /**
         * Layout of the activations (default NCHW); NHWC for channels-last models. The weight
         * layout is {@code (out, in / groups, kH, kW)} in both.
         *
         * @param format NCHW or NHWC
         * @return this builder
         */
        public Builder dataFormat(CNN2DFormat format) {
            this.cnn2dFormat = Checks.requireNonNull("IntegralConvolution2D.Builder", "data format", format);
            return this;
        }

        /**
         * Kernel size (height, width).
         *
         * @param kernel two values
         * @return this builder
         */
        public Builder kernelSize(int... kernel) {
            this.kernelSize = pair(kernel, "kernelSize");
            return this;
        }

        /**
         * Stride (height, width).
         *
         * @param stride two values (or one for both)
         * @return this builder
         */
        public Builder stride(int... stride) {
            this.stride = pair(stride, "stride");
            return this;
        }

        /**
         * Padding (height, width), used in Truncate/Strict mode.
         *
         * @param padding two values (or one for both)
         * @return this builder
         */
        public Builder padding(int... padding) {
            this.padding = pair(padding, "padding");
            return this;
        }

        /**
         * Dilation (height, width).
         *
         * @param dilation two values (or one for both)
         * @return this builder
         */
        public Builder dilation(int... dilation) {
            this.dilation = pair(dilation, "dilation");
            return this;
        }

        private static int[] pair(int[] v, String what) {
            Checks.require(v != null && (v.length == 1 || v.length == 2), "IntegralConvolution2D.Builder",
                    "%s needs 1 or 2 values, got %s.", what, Arrays.toString(v));
            return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        }

        @Override
        @SuppressWarnings("unchecked")
        public IntegralConvolution2D build() {
            return new IntegralConvolution2D(this);
        }
    }
}
