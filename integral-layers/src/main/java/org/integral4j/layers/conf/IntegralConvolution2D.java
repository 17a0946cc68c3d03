package org.integral4j.layers.conf;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.integral4j.util.Checks;

/**
 * An integral 2-D convolution on NCHW activations {@code x: (batch, in*, H, W)} with weight
 * {@code W: (out*, in* / groups, kH, kW)} and bias {@code b: (out*)} sampled from weight functions.
 * Output size: {@code floor((H + 2p - d (k - 1) - 1) / s) + 1} in Truncate/Strict mode,
 * {@code ceil(H / s)} in Same mode (as DL4J's {@code ConvolutionLayer}).
 */
public class IntegralConvolution2D extends IntegralConvolution {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    protected IntegralConvolution2D() {
    }

    private IntegralConvolution2D(Builder b) {
        super(b);
    }

    @Override
    public boolean oneDimensional() {
        return false;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        Checks.require(inputType instanceof InputType.InputTypeConvolutional, describe(),
                "expected a convolutional input type, got %s.", inputType);
        Checks.require(((InputType.InputTypeConvolutional) inputType).getFormat() == CNN2DFormat.NCHW, describe(),
                "only NCHW activations are supported, got %s; use channels-first data (CNN2DFormat.NCHW).", inputType);
        return InputTypeUtil.getOutputTypeCnnLayers(inputType, getKernelSize(), getStride(), getPadding(),
                getDilation(), getConvolutionMode(), nOut, layerIndex, getLayerName(), CNN2DFormat.NCHW,
                IntegralConvolution2D.class);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        Checks.require(inputType instanceof InputType.InputTypeConvolutional, describe(),
                "expected a convolutional input type, got %s.", inputType);
        if (nIn <= 0 || override) {
            nIn = ((InputType.InputTypeConvolutional) inputType).getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    /** Builds an {@link IntegralConvolution2D}. */
    public static class Builder extends IntegralConvolution.Builder<Builder> {

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
                    "%s needs 1 or 2 values, got %s.", what, java.util.Arrays.toString(v));
            return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        }

        @Override
        @SuppressWarnings("unchecked")
        public IntegralConvolution2D build() {
            return new IntegralConvolution2D(this);
        }
    }
}
