package org.integral4j.layers.conf;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.integral4j.util.Checks;

/**
 * An integral 1-D convolution on {@code x: (batch, in*, length)} (DL4J's recurrent layout NCW)
 * with weight {@code W: (out*, in* / groups, k, 1)}; it runs as a 2-D convolution on
 * {@code (batch, in, length, 1)}, as DL4J's {@code Convolution1DLayer} stores its weight.
 */
public class IntegralConvolution1D extends IntegralConvolution {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    protected IntegralConvolution1D() {
    }

    private IntegralConvolution1D(Builder b) {
        super(b);
    }

    @Override
    public boolean oneDimensional() {
        return true;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        Checks.require(inputType instanceof InputType.InputTypeRecurrent, describe(),
                "expected a recurrent (batch, channels, length) input type, got %s.", inputType);
        Checks.require(((InputType.InputTypeRecurrent) inputType).getFormat() == RNNFormat.NCW, describe(),
                "only NCW activations are supported, got %s.", inputType);
        return InputTypeUtil.getOutputTypeCnn1DLayers(inputType, getKernelSize()[0], getStride()[0],
                getPadding()[0], getDilation()[0], getConvolutionMode(), nOut, layerIndex, getLayerName(),
                IntegralConvolution1D.class);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        Checks.require(inputType instanceof InputType.InputTypeRecurrent, describe(),
                "expected a recurrent (batch, channels, length) input type, got %s.", inputType);
        if (nIn <= 0 || override) {
            nIn = ((InputType.InputTypeRecurrent) inputType).getSize();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    /** Builds an {@link IntegralConvolution1D}. */
    public static class Builder extends IntegralConvolution.Builder<Builder> {

        /** Kernel 3, stride 1, no padding, no dilation. */
        public Builder() {
            kernelSize = new int[] {3, 1};
            stride = new int[] {1, 1};
            padding = new int[] {0, 0};
            dilation = new int[] {1, 1};
        }

        /**
         * Kernel length.
         *
         * @param k the length
         * @return this builder
         */
        public Builder kernelSize(int k) {
            this.kernelSize = new int[] {k, 1};
            return this;
        }

        /**
         * Stride.
         *
         * @param s the stride
         * @return this builder
         */
        public Builder stride(int s) {
            this.stride = new int[] {s, 1};
            return this;
        }

        /**
         * Padding (Truncate/Strict mode).
         *
         * @param p the padding
         * @return this builder
         */
        public Builder padding(int p) {
            this.padding = new int[] {p, 0};
            return this;
        }

        /**
         * Dilation.
         *
         * @param d the dilation
         * @return this builder
         */
        public Builder dilation(int d) {
            this.dilation = new int[] {d, 1};
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public IntegralConvolution1D build() {
            return new IntegralConvolution1D(this);
        }
    }
}
