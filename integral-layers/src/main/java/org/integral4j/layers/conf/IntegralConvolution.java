package org.integral4j.layers.conf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.integral4j.function.WeightFunction;
import org.integral4j.layers.ops.ConvGeometry;
import org.integral4j.layers.runtime.IntegralConvolutionLayer;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the integral 1-D and 2-D convolutions share: kernel, stride, padding, dilation, DL4J's
 * convolution mode ({@code Truncate}, {@code Strict} or {@code Same}), groups and bias.
 *
 * <p>Weight layout and continuous axes:
 * <ul>
 *   <li>{@code groups = 1}: {@code W: (out*, in*, kH, kW)}, the input axis integrated with the
 *       quadrature;</li>
 *   <li>depthwise ({@code groups = in = out}): {@code W: (channels*, 1, kH, kW)}; input and output
 *       are one channel group (the same name for {@code inGroup} and {@code outGroup});</li>
 *   <li>grouped ({@code 1 < groups < in}): the weight function is laid out per block,
 *       {@code (groups, out / groups*, in / groups*, kH, kW)}, and each block samples the part grid of
 *       its partitioned groups ({@link org.integral4j.layers.grid.PartitionedChannelGroup}).</li>
 * </ul>
 */
public abstract class IntegralConvolution extends IntegralLayerConf {

    private static final long serialVersionUID = 1L;

    /** Key of the weight's knot tensor. */
    public static final String WEIGHT = "W";
    /** Key of the bias's knot tensor. */
    public static final String BIAS = "b";

    private int[] kernelSize = {3, 3};
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};
    private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
    private int groups = 1;
    private boolean hasBias = true;

    /** For JSON deserialisation. */
    protected IntegralConvolution() {
    }

    /**
     * Copies the builder's values.
     *
     * @param b the builder
     */
    protected IntegralConvolution(Builder<?> b) {
        super(b);
        this.kernelSize = b.kernelSize.clone();
        this.stride = b.stride.clone();
        this.padding = b.padding.clone();
        this.dilation = b.dilation.clone();
        this.convolutionMode = b.convolutionMode;
        this.groups = b.groups;
        this.hasBias = b.hasBias;
    }

    /**
     * The geometry of the convolution on the layer's 4-D activations: NCHW, or NHWC for a
     * channels-last {@link IntegralConvolution2D} (1-D convolutions run as 2-D ones on
     * {@code (batch, channels, length, 1)}).
     *
     * @return the geometry
     */
    public ConvGeometry geometry() {
        ConvGeometry.Mode mode = convolutionMode == ConvolutionMode.Same ? ConvGeometry.Mode.SAME
                : ConvGeometry.Mode.TRUNCATE;
        return new ConvGeometry(kernelSize, stride, padding, dilation, mode, activationLayout());
    }

    /**
     * The layout of the 4-D activations the convolution ops see.
     *
     * @return NCHW here; {@link IntegralConvolution2D} returns its configured format
     */
    protected ConvGeometry.DataFormat activationLayout() {
        return ConvGeometry.DataFormat.NCHW;
    }

    /**
     * Whether this is a depthwise convolution (groups = input channels = output channels).
     *
     * @return true for depthwise
     */
    public boolean depthwise() {
        return groups > 1 && groups == nIn && nOut == nIn;
    }

    @Override
    public void validate() {
        super.validate();
        String where = describe();
        Checks.require(convolutionMode != ConvolutionMode.Causal, where,
                "ConvolutionMode.Causal is not supported; use Truncate with explicit padding, or Same.");
        Checks.require(kernelSize.length == 2 && stride.length == 2 && padding.length == 2 && dilation.length == 2,
                where, "kernel, stride, padding and dilation need 2 values each.");
        geometry();
        Checks.require(groups >= 1 && nIn % groups == 0 && nOut % groups == 0, where,
                "groups (%d) must divide nIn (%d) and nOut (%d).", groups, nIn, nOut);
        if (groups > 1 && groups == nIn) {
            Checks.require(nOut == nIn || (!hasContinuousInput() && !hasContinuousOutput()), where,
                    "a depthwise convolution with channel multiplier %d cannot be resampled; keep its channel axes "
                            + "discrete (no inGroup/outGroup) or use multiplier 1.", nOut / Math.max(1, nIn));
            Checks.require(Objects.equals(getInGroup(), getOutGroup()), where,
                    "a depthwise convolution keeps channel c on channel c, so inGroup and outGroup must be the same "
                            + "group (got '%s' and '%s').", getInGroup(), getOutGroup());
        }
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>();
        int kH = kernelSize[0];
        int kW = kernelSize[1];
        boolean outC = hasContinuousOutput();
        boolean inC = hasContinuousInput();
        if (groups == 1 || (groups == nIn && !outC && !inC)) {
            long[] shape = {nOut, nIn / groups, kH, kW};
            specs.add(weightSpec(shape, outC ? 0 : -1, inC && groups == 1 ? 1 : -1, nIn / groups, false));
        } else if (depthwise()) {
            specs.add(weightSpec(new long[] {nOut, 1, kH, kW}, outC ? 0 : -1, -1, 1, false));
        } else {
            long[] shape = {groups, nOut / groups, nIn / groups, kH, kW};
            specs.add(weightSpec(shape, outC ? 1 : -1, inC ? 2 : -1, nIn / groups, true));
        }
        if (hasBias) {
            if (!outC) {
                specs.add(ParamSpec.discrete(BIAS, new long[] {nOut}, ParamSpec.Role.BIAS));
            } else if (groups > 1 && !depthwise()) {
                WeightFunction f = WeightFunction.builder(groups, nOut / groups).name(describe() + " " + BIAS)
                        .continuousAxes(1).lambdaSizes(knots(nOut / groups)).build();
                specs.add(ParamSpec.functionOnParts(BIAS, f, new String[] {getOutGroup()}, ParamSpec.Role.BIAS));
            } else {
                WeightFunction f = WeightFunction.builder(nOut).name(describe() + " " + BIAS).continuousAxes(0)
                        .lambdaSizes(knots(nOut)).build();
                specs.add(ParamSpec.function(BIAS, f, new String[] {getOutGroup()}, ParamSpec.Role.BIAS));
            }
        }
        return specs;
    }

    private ParamSpec weightSpec(long[] shape, int outAxis, int inAxis, long inPerGroup, boolean onParts) {
        if (outAxis < 0 && inAxis < 0) {
            return ParamSpec.discrete(WEIGHT, shape, ParamSpec.Role.WEIGHT);
        }
        List<Integer> axes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> knots = new ArrayList<>();
        if (outAxis >= 0) {
            axes.add(outAxis);
            names.add(getOutGroup());
            knots.add(knots(shape[outAxis]));
        }
        if (inAxis >= 0) {
            axes.add(inAxis);
            names.add(getInGroup());
            knots.add(knots(shape[inAxis]));
        }
        WeightFunction.Builder b = WeightFunction.builder(shape).name(describe() + " " + WEIGHT)
                .continuousAxes(axes.stream().mapToInt(Integer::intValue).toArray())
                .lambdaSizes(knots.stream().mapToInt(Integer::intValue).toArray());
        if (inAxis >= 0) {
            withQuadrature(b, inAxis, inPerGroup);
        }
        String[] groupNames = names.toArray(new String[0]);
        return onParts ? ParamSpec.functionOnParts(WEIGHT, b.build(), groupNames, ParamSpec.Role.WEIGHT)
                : ParamSpec.function(WEIGHT, b.build(), groupNames, ParamSpec.Role.WEIGHT);
    }

    @Override
    public double fanIn() {
        return (double) (nIn / groups) * kernelSize[0] * kernelSize[1];
    }

    @Override
    public double fanOut() {
        return (double) (nOut / groups) * kernelSize[0] * kernelSize[1] / ((double) stride[0] * stride[1]);
    }

    @Override
    protected IntegralLayer<?> createRuntimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new IntegralConvolutionLayer(conf, networkDataType);
    }

    /**
     * Whether this is the 1-D variant (input {@code (batch, channels, length)}).
     *
     * @return true for 1-D
     */
    public abstract boolean oneDimensional();

    /**
     * Kernel size (height, width).
     *
     * @return the kernel size
     */
    public int[] getKernelSize() {
        return kernelSize.clone();
    }

    /**
     * Sets the kernel size.
     *
     * @param kernelSize (height, width)
     */
    public void setKernelSize(int[] kernelSize) {
        this.kernelSize = kernelSize.clone();
    }

    /**
     * Stride.
     *
     * @return (height, width)
     */
    public int[] getStride() {
        return stride.clone();
    }

    /**
     * Sets the stride.
     *
     * @param stride (height, width)
     */
    public void setStride(int[] stride) {
        this.stride = stride.clone();
    }

    /**
     * Padding (ignored in Same mode).
     *
     * @return (height, width)
     */
    public int[] getPadding() {
        return padding.clone();
    }

    /**
     * Sets the padding.
     *
     * @param padding (height, width)
     */
    public void setPadding(int[] padding) {
        this.padding = padding.clone();
    }

    /**
     * Dilation.
     *
     * @return (height, width)
     */
    public int[] getDilation() {
        return dilation.clone();
    }

    /**
     * Sets the dilation.
     *
     * @param dilation (height, width)
     */
    public void setDilation(int[] dilation) {
        this.dilation = dilation.clone();
    }

    /**
     * DL4J's convolution mode.
     *
     * @return the mode
     */
    public ConvolutionMode getConvolutionMode() {
        return convolutionMode;
    }

    /**
     * Sets the convolution mode.
     *
     * @param convolutionMode Truncate, Strict or Same
     */
    public void setConvolutionMode(ConvolutionMode convolutionMode) {
        this.convolutionMode = convolutionMode;
    }

    /**
     * Number of groups.
     *
     * @return the groups
     */
    public int getGroups() {
        return groups;
    }

    /**
     * Sets the number of groups.
     *
     * @param groups the groups
     */
    public void setGroups(int groups) {
        this.groups = groups;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegralConvolution c && super.equals(o) && Arrays.equals(kernelSize, c.kernelSize)
                && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && Arrays.equals(dilation, c.dilation) && convolutionMode == c.convolutionMode && groups == c.groups
                && hasBias == c.hasBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(dilation), convolutionMode, groups, hasBias);
    }

    /**
     * Builder of the shared convolution settings.
     *
     * @param <T> the concrete builder
     */
    public abstract static class Builder<T extends Builder<T>> extends IntegralLayerConf.Builder<T> {
        int[] kernelSize = {3, 3};
        int[] stride = {1, 1};
        int[] padding = {0, 0};
        int[] dilation = {1, 1};
        ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
        int groups = 1;
        boolean hasBias = true;

        /**
         * DL4J's convolution mode (default Truncate).
         *
         * @param mode Truncate, Strict or Same
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T convolutionMode(ConvolutionMode mode) {
            this.convolutionMode = mode;
            return (T) this;
        }

        /**
         * Number of groups (default 1); {@code groups = nIn = nOut} is a depthwise convolution.
         *
         * @param groups the groups
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T groups(int groups) {
            this.groups = groups;
            return (T) this;
        }

        /**
         * Whether the layer has a bias (default true).
         *
         * @param hasBias true for a bias
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return (T) this;
        }
    }
}
