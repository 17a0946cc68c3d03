package org.integral4j.layers.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.function.WeightFunction;
import org.integral4j.layers.runtime.IntegralDenseLayer;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An integral fully connected layer: {@code z = x W^T + b}, {@code a = activation(z)}, with the
 * weight {@code W: (out*, in*)} and bias {@code b: (out*)} sampled from weight functions on the
 * grids of the output and input channel groups. Either axis may be discrete: a classifier head has
 * a discrete output axis (the classes) and a continuous input axis, and is followed by a
 * {@code LossLayer}.
 *
 * <p>Fed by a flattened convolution output ({@code inBlockSize = h * w > 1}), the input axis is a
 * channel axis with a block of {@code h * w} features per channel: the weight function is laid out
 * {@code (out*, channels*, h*w)} for channels-first flattening (NCHW: channel {@code c} owns features
 * {@code c*hw .. (c+1)*hw - 1}) or {@code (out*, h*w, channels*)} for channels-last flattening
 * (NHWC, Keras: channel {@code c} owns features {@code c, c + C, c + 2C, ...}). Setting the network
 * input type with {@code setInputType} fills this in automatically.
 */
public class IntegralDense extends IntegralLayerConf {

    private static final long serialVersionUID = 1L;

    /** Key of the weight's knot tensor. */
    public static final String WEIGHT = "W";
    /** Key of the bias's knot tensor. */
    public static final String BIAS = "b";

    private boolean hasBias = true;
    private int inBlockSize = 1;
    private boolean channelsLast;

    /** For JSON deserialisation. */
    protected IntegralDense() {
    }

    private IntegralDense(Builder b) {
        super(b);
        this.hasBias = b.hasBias;
        this.inBlockSize = b.inBlockSize;
        this.channelsLast = b.channelsLast;
    }

    /**
     * Number of input channels (features divided by the block size).
     *
     * @return {@code nIn / inBlockSize}
     */
    public long inChannels() {
        return nIn / inBlockSize;
    }

    /**
     * The axis of the input channels in the weight view: 1, or 2 for channels-last blocks.
     *
     * @return the axis
     */
    public int inChannelAxis() {
        return inBlockSize > 1 && channelsLast ? 2 : 1;
    }

    /**
     * Shape of the weight view at full size.
     *
     * @return {@code (out, in)}, {@code (out, C, hw)} or {@code (out, hw, C)}
     */
    public long[] weightViewShape() {
        if (inBlockSize == 1) {
            return new long[] {nOut, nIn};
        }
        return channelsLast ? new long[] {nOut, inBlockSize, inChannels()} : new long[] {nOut, inChannels(), inBlockSize};
    }

    @Override
    public void validate() {
        super.validate();
        Checks.require(inBlockSize >= 1 && nIn % inBlockSize == 0, describe(),
                "nIn (%d) must be a multiple of inBlockSize (%d).", nIn, inBlockSize);
        Checks.require(!hasContinuousInput() || inChannels() >= 2, describe(),
                "the input axis has 1 channel of %d features but is continuous; keep it discrete.", inBlockSize);
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>();
        long[] shape = weightViewShape();
        List<Integer> axes = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<Integer> knots = new ArrayList<>();
        if (hasContinuousOutput()) {
            axes.add(0);
            groups.add(getOutGroup());
            knots.add(knots(nOut));
        }
        if (hasContinuousInput()) {
            axes.add(inChannelAxis());
            groups.add(getInGroup());
            knots.add(knots(inChannels()));
        }
        if (axes.isEmpty()) {
            specs.add(ParamSpec.discrete(WEIGHT, shape, ParamSpec.Role.WEIGHT));
        } else {
            WeightFunction.Builder b = WeightFunction.builder(shape).name(describe() + " " + WEIGHT)
                    .continuousAxes(axes.stream().mapToInt(Integer::intValue).toArray())
                    .lambdaSizes(knots.stream().mapToInt(Integer::intValue).toArray());
            withQuadrature(b, inChannelAxis(), inChannels());
            specs.add(ParamSpec.function(WEIGHT, b.build(), groups.toArray(new String[0]), ParamSpec.Role.WEIGHT));
        }
        if (hasBias) {
            if (hasContinuousOutput()) {
                WeightFunction bias = WeightFunction.builder(nOut).name(describe() + " " + BIAS).continuousAxes(0)
                        .lambdaSizes(knots(nOut)).build();
                specs.add(ParamSpec.function(BIAS, bias, new String[] {getOutGroup()}, ParamSpec.Role.BIAS));
            } else {
                specs.add(ParamSpec.discrete(BIAS, new long[] {nOut}, ParamSpec.Role.BIAS));
            }
        }
        return specs;
    }

    @Override
    public double fanIn() {
        return nIn;
    }

    @Override
    public double fanOut() {
        return nOut;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional) {
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
            this.inBlockSize = (int) (c.getHeight() * c.getWidth());
            this.channelsLast = c.getFormat() == CNN2DFormat.NHWC;
            return new IntegralFlattenPreProcessor(c.getHeight(), c.getWidth(), c.getFormat());
        }
        return super.getPreProcessorForInputType(inputType);
    }

    @Override
    protected IntegralLayer<?> createRuntimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new IntegralDenseLayer(conf, networkDataType);
    }

    /**
     * Whether the layer has a bias.
     *
     * @return true with a bias
     */
    public boolean isHasBias() {
        return hasBias;
    }

    /**
     * Sets whether the layer has a bias.
     *
     * @param hasBias true for a bias
     */
    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    /**
     * Features per input channel (h*w after a flatten, else 1).
     *
     * @return the block size
     */
    public int getInBlockSize() {
        return inBlockSize;
    }

    /**
     * Sets the features per input channel.
     *
     * @param inBlockSize the block size, at least 1
     */
    public void setInBlockSize(int inBlockSize) {
        this.inBlockSize = inBlockSize;
    }

    /**
     * Whether blocks are interleaved channels-last (NHWC flatten).
     *
     * @return true for channels-last
     */
    public boolean isChannelsLast() {
        return channelsLast;
    }

    /**
     * Sets the flatten order of the input blocks.
     *
     * @param channelsLast true for channels-last (NHWC)
     */
    public void setChannelsLast(boolean channelsLast) {
        this.channelsLast = channelsLast;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegralDense d && super.equals(o) && hasBias == d.hasBias && inBlockSize == d.inBlockSize
                && channelsLast == d.channelsLast;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hasBias, inBlockSize, channelsLast);
    }

    /** Builds an {@link IntegralDense}. */
    public static class Builder extends IntegralLayerConf.Builder<Builder> {
        private boolean hasBias = true;
        private int inBlockSize = 1;
        private boolean channelsLast;

        /**
         * Whether the layer has a bias (default true).
         *
         * @param hasBias true for a bias
         * @return this builder
         */
        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        /**
         * Features per input channel after a flatten ({@code h * w}) and their order.
         *
         * @param blockSize    features per channel
         * @param channelsLast true for NHWC (interleaved) flattening
         * @return this builder
         */
        public Builder inputBlocks(int blockSize, boolean channelsLast) {
            this.inBlockSize = blockSize;
            this.channelsLast = channelsLast;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public IntegralDense build() {
            return new IntegralDense(this);
        }
    }
}
