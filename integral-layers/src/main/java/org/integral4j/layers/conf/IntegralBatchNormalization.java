package org.integral4j.layers.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.function.WeightFunction;
import org.integral4j.layers.ops.BatchNormOps;
import org.integral4j.layers.runtime.IntegralBatchNormalizationLayer;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Integral batch normalisation over the channel axis of {@code (batch, channels*)},
 * {@code (batch, channels*, h, w)} (NCHW) or {@code (batch, h, w, channels*)} (NHWC, configured
 * with {@link Builder#dataFormat}; the format matters only for rank-4 input):
 * {@code y = gamma (x - mean) / sqrt(var + eps) + beta}, where
 * the scale {@code gamma}, the shift {@code beta} and the running statistics ({@code mean} and
 * {@code log10std = log10(sqrt(var))}, DL4J's storage) are all functions on the channel grid.
 * So the layer stays valid when its channel group is resized: channel {@code c} at grid point
 * {@code x_c} normalises with the statistics of the function at {@code x_c}. (The INN paper names
 * a smooth normalisation as future work; TorchIntegral only fuses batch norm into a preceding
 * convolution.)
 *
 * <p>Training uses batch statistics (biased variance, as DL4J) and moves the running statistics
 * towards them: {@code mean' = decay mean + (1 - decay) batchMean},
 * {@code var' = decay var + (1 - decay) batchVar}, evaluated at the current grid points and
 * spread back onto the knots by the normalised transposed interpolation (exactly the usual update
 * at full size). Like DL4J's batch norm, the layer ignores its activation function.
 */
public class IntegralBatchNormalization extends IntegralLayerConf {

    private static final long serialVersionUID = 1L;

    /** Key of the scale. */
    public static final String GAMMA = "gamma";
    /** Key of the shift. */
    public static final String BETA = "beta";
    /** Key of the running mean. */
    public static final String MEAN = "mean";
    /** Key of the running log10 standard deviation. */
    public static final String LOG10_STD = "log10stdev";

    private double decay = 0.9;
    private double eps = 1e-5;
    private double gammaInit = 1.0;
    private double betaInit = 0.0;
    private CNN2DFormat cnn2dFormat = CNN2DFormat.NCHW;

    /** For JSON deserialisation. */
    protected IntegralBatchNormalization() {
    }

    private IntegralBatchNormalization(Builder b) {
        super(b);
        this.decay = b.decay;
        this.eps = b.eps;
        this.gammaInit = b.gammaInit;
        this.betaInit = b.betaInit;
        this.cnn2dFormat = b.cnn2dFormat;
    }

    /**
     * The channel axis of an input of the given rank.
     *
     * @param rank 2 or 4
     * @return 3 for rank-4 NHWC input, else 1
     */
    public int channelAxis(int rank) {
        return rank == 4 && cnn2dFormat == CNN2DFormat.NHWC ? BatchNormOps.CHANNEL_AXIS_NHWC : BatchNormOps.CHANNEL_AXIS;
    }

    /**
     * The channel group (the output group; the input group is the same).
     *
     * @return the group, or null when discrete
     */
    public String group() {
        return getOutGroup();
    }

    @Override
    public void validate() {
        super.validate();
        Checks.require(nIn == nOut, describe(), "nIn (%d) and nOut (%d) must be equal.", nIn, nOut);
        Checks.require(Objects.equals(getInGroup(), getOutGroup()), describe(),
                "input and output are the same channels: use group(...) (got inGroup '%s', outGroup '%s').",
                getInGroup(), getOutGroup());
        Checks.require(decay >= 0 && decay <= 1, describe(), "decay must be in [0, 1], got %s.", decay);
        Checks.require(eps > 0, describe(), "eps must be positive, got %s.", eps);
        Checks.requireNonNull(describe(), "cnn2dFormat", cnn2dFormat);
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(spec(GAMMA, ParamSpec.Role.GAMMA));
        specs.add(spec(BETA, ParamSpec.Role.BETA));
        specs.add(spec(MEAN, ParamSpec.Role.RUNNING_STATISTIC));
        specs.add(spec(LOG10_STD, ParamSpec.Role.RUNNING_STATISTIC));
        return specs;
    }

    private ParamSpec spec(String key, ParamSpec.Role role) {
        if (group() == null) {
            return ParamSpec.discrete(key, new long[] {nOut}, role);
        }
        WeightFunction f = WeightFunction.builder(nOut).name(describe() + " " + key).continuousAxes(0)
                .lambdaSizes(knots(nOut)).build();
        return ParamSpec.function(key, f, new String[] {group()}, role);
    }

    @Override
    public double initialValue(ParamSpec p) {
        switch (p.key()) {
            case GAMMA:
                return gammaInit;
            case BETA:
                return betaInit;
            default:
                return 0.0; // mean 0, log10(std) 0: variance 1, as DL4J
        }
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
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            IntegralConvolution2D.requireFormat(describe(), cnn2dFormat, c);
        }
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            long n;
            if (inputType instanceof InputType.InputTypeConvolutional c) {
                IntegralConvolution2D.requireFormat(describe(), cnn2dFormat, c);
                n = c.getChannels();
            } else if (inputType instanceof InputType.InputTypeFeedForward f) {
                n = f.getSize();
            } else if (inputType instanceof InputType.InputTypeConvolutionalFlat f) {
                n = f.getFlattenedSize();
            } else {
                throw new IllegalArgumentException(describe() + ": expected a feed-forward or convolutional input type, "
                        + "got " + inputType + ".");
            }
            nIn = n;
            nOut = n;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    protected IntegralLayer<?> createRuntimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new IntegralBatchNormalizationLayer(conf, networkDataType);
    }

    /**
     * Decay of the running statistics.
     *
     * @return the decay
     */
    public double getDecay() {
        return decay;
    }

    /**
     * Sets the decay.
     *
     * @param decay in [0, 1]
     */
    public void setDecay(double decay) {
        this.decay = decay;
    }

    /**
     * Variance epsilon.
     *
     * @return eps
     */
    public double getEps() {
        return eps;
    }

    /**
     * Sets the variance epsilon.
     *
     * @param eps positive
     */
    public void setEps(double eps) {
        this.eps = eps;
    }

    /**
     * Initial scale.
     *
     * @return gamma init
     */
    public double getGammaInit() {
        return gammaInit;
    }

    /**
     * Sets the initial scale.
     *
     * @param gammaInit the value
     */
    public void setGammaInit(double gammaInit) {
        this.gammaInit = gammaInit;
    }

    /**
     * Initial shift.
     *
     * @return beta init
     */
    public double getBetaInit() {
        return betaInit;
    }

    /**
     * Sets the initial shift.
     *
     * @param betaInit the value
     */
    public void setBetaInit(double betaInit) {
        this.betaInit = betaInit;
    }

    /**
     * The layout of rank-4 activations.
     *
     * @return NCHW or NHWC
     */
    public CNN2DFormat getCnn2dFormat() {
        return cnn2dFormat;
    }

    /**
     * Sets the layout of rank-4 activations.
     *
     * @param cnn2dFormat NCHW or NHWC
     */
    public void setCnn2dFormat(CNN2DFormat cnn2dFormat) {
        this.cnn2dFormat = cnn2dFormat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegralBatchNormalization b && super.equals(o) && decay == b.decay && eps == b.eps
                && gammaInit == b.gammaInit && betaInit == b.betaInit && cnn2dFormat == b.cnn2dFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), decay, eps, gammaInit, betaInit, cnn2dFormat);
    }

    /** Builds an {@link IntegralBatchNormalization}. */
    public static class Builder extends IntegralLayerConf.Builder<Builder> {
        private double decay = 0.9;
        private double eps = 1e-5;
        private double gammaInit = 1.0;
        private double betaInit = 0.0;
        private CNN2DFormat cnn2dFormat = CNN2DFormat.NCHW;

        /**
         * Layout of rank-4 activations (default NCHW); NHWC normalises over the last axis.
         * Feed-forward {@code (batch, channels)} input is unaffected.
         *
         * @param format NCHW or NHWC
         * @return this builder
         */
        public Builder dataFormat(CNN2DFormat format) {
            this.cnn2dFormat = Checks.requireNonNull("IntegralBatchNormalization.Builder", "data format", format);
            return this;
        }

        /**
         * The channel group (makes the channel axis continuous).
         *
         * @param group the group name
         * @return this builder
         */
        public Builder group(String group) {
            inGroup(group);
            return outGroup(group);
        }

        /**
         * Decay of the running statistics (default 0.9, as DL4J).
         *
         * @param decay in [0, 1]
         * @return this builder
         */
        public Builder decay(double decay) {
            this.decay = decay;
            return this;
        }

        /**
         * Variance epsilon (default 1e-5).
         *
         * @param eps positive
         * @return this builder
         */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Initial scale and shift (default 1 and 0).
         *
         * @param gamma initial scale
         * @param beta  initial shift
         * @return this builder
         */
        public Builder initial(double gamma, double beta) {
            this.gammaInit = gamma;
            this.betaInit = beta;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public IntegralBatchNormalization build() {
            return new IntegralBatchNormalization(this);
        }
    }
}
