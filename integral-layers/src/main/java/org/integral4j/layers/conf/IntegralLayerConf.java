package org.integral4j.layers.conf;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.integral4j.function.ReferenceConventions;
import org.integral4j.function.WeightFunction;
import org.integral4j.layers.params.IntegralParamInitializer;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Configuration shared by the integral layers: which channel groups the output and input channel
 * axes belong to (null: the axis is discrete, e.g. the image channels of the first layer or the
 * classes of the head), the resolution of the knot tensors relative to the full size
 * ({@code lambdaScale}, TorchIntegral's {@code scale}), where quadrature weights apply, and
 * which parameters are frozen (grid tuning).
 *
 * <p>{@code nIn} and {@code nOut} are the full channel counts. The current counts follow the
 * groups' grids, which the model owning the layer supplies at run time
 * ({@code IntegralNetworks.bind}); an unbound layer runs at full size.
 *
 * <p>Serialised to JSON by DL4J through the getters and setters, like DL4J's own configurations.
 */
public abstract class IntegralLayerConf extends FeedForwardLayer {

    private static final long serialVersionUID = 1L;

    private String inGroup;
    private String outGroup;
    private double lambdaScale = 1.0;
    private QuadratureChoice quadrature = QuadratureChoice.REFERENCE;
    private Freeze freeze = Freeze.NONE;

    /** For JSON deserialisation. */
    protected IntegralLayerConf() {
    }

    /**
     * Copies the builder's values.
     *
     * @param b the builder
     */
    protected IntegralLayerConf(Builder<?> b) {
        super(b);
        this.inGroup = b.inGroup;
        this.outGroup = b.outGroup;
        this.lambdaScale = b.lambdaScale;
        this.quadrature = b.quadrature;
        this.freeze = b.freeze;
        initializeConstraints(b);
    }

    /**
     * The parameters of this layer in flat-vector order.
     *
     * @return the parameter specifications
     */
    public abstract List<ParamSpec> parameters();

    /**
     * Fan-in for DL4J's weight initialisation of the full discrete weight.
     *
     * @return the fan-in
     */
    public abstract double fanIn();

    /**
     * Fan-out for DL4J's weight initialisation of the full discrete weight.
     *
     * @return the fan-out
     */
    public abstract double fanOut();

    /**
     * The initial value of a scale, shift or running-statistic parameter.
     *
     * @param p the parameter
     * @return its initial value (every element)
     */
    public double initialValue(ParamSpec p) {
        return p.role() == ParamSpec.Role.GAMMA ? 1.0 : 0.0;
    }

    /**
     * Checks the configuration; called when the layer is instantiated.
     *
     * @throws IllegalArgumentException naming the layer and the fix
     */
    public void validate() {
        String where = describe();
        Checks.require(lambdaScale > 0, where, "lambdaScale must be positive, got %s.", lambdaScale);
        Checks.require(getWeightNoise() == null, where,
                "weight noise is not supported by integral layers (it would perturb the knot tensors, not the "
                        + "sampled weights); remove weightNoise(...) from this layer or the network defaults.");
        Checks.require(nIn >= 1 && nOut >= 1, where, "nIn and nOut must be set (got nIn=%d, nOut=%d); "
                + "set them or use setInputType(...) on the network configuration.", nIn, nOut);
        Checks.require(inGroup == null || nIn >= 2, where,
                "the input axis has %d channel(s) but is continuous (group '%s'); a continuous axis needs at least 2.",
                nIn, inGroup);
        Checks.require(outGroup == null || nOut >= 2, where,
                "the output axis has %d channel(s) but is continuous (group '%s'); a continuous axis needs at least 2.",
                nOut, outGroup);
    }

    /**
     * The layer's name and type for messages.
     *
     * @return e.g. {@code "layer 'conv1' (IntegralConvolution2D)"}
     */
    public String describe() {
        return "layer '" + (layerName == null ? "?" : layerName) + "' (" + getClass().getSimpleName() + ")";
    }

    /**
     * The knot count for an axis of full size {@code n}: {@code max(1, round(lambdaScale * n))}.
     *
     * @param n full size
     * @return the knot count
     */
    protected int knots(long n) {
        return (int) Math.max(1, Math.round(lambdaScale * n));
    }

    /**
     * Adds the quadrature chosen by {@link #getQuadrature()} on {@code inAxis} (the input channel
     * axis of the weight view) to a weight-function builder.
     *
     * @param b          the builder
     * @param inAxis     the input channel axis of the weight view
     * @param inChannels full number of input channels
     * @return the builder
     */
    protected WeightFunction.Builder withQuadrature(WeightFunction.Builder b, int inAxis, long inChannels) {
        boolean applies = inGroup != null && (quadrature == QuadratureChoice.TRAPEZOIDAL
                || (quadrature == QuadratureChoice.REFERENCE && inChannels >= ReferenceConventions.MIN_QUADRATURE_SIZE));
        return applies ? b.quadrature(TrapezoidalQuadrature.INSTANCE, inAxis) : b;
    }

    /**
     * The spec of one parameter.
     *
     * @param key the parameter key
     * @return the spec
     */
    public ParamSpec parameter(String key) {
        for (ParamSpec p : parameters()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException(describe() + ": no parameter '" + key + "'.");
    }

    /**
     * Creates the run-time layer of this configuration.
     *
     * @param conf            the layer's network configuration
     * @param networkDataType the network's data type
     * @return the new layer (parameters not yet set)
     */
    protected abstract IntegralLayer<?> createRuntimeLayer(NeuralNetConfiguration conf, DataType networkDataType);

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        validate();
        IntegralLayer<?> layer = createRuntimeLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return IntegralParamInitializer.INSTANCE;
    }

    /**
     * The updater of a parameter. Running statistics use DL4J's {@link NoOp}, which applies the
     * "gradient" (old minus new value) as is; frozen parameters ({@link #getFreeze()}) use SGD with
     * learning rate 0, so they get no update at all (a {@link NoOp} would apply the raw gradient).
     *
     * @param paramName the parameter key
     * @return its updater
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        ParamSpec p = parameter(paramName);
        if (p.role() == ParamSpec.Role.RUNNING_STATISTIC) {
            return new NoOp();
        }
        if (isFrozen(p)) {
            return new Sgd(0.0);
        }
        if ((p.role() == ParamSpec.Role.BIAS || p.role() == ParamSpec.Role.BETA) && biasUpdater != null) {
            return biasUpdater;
        }
        return iUpdater;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        ParamSpec p = parameter(paramName);
        if (isFrozen(p)) {
            return Collections.emptyList();
        }
        switch (p.role()) {
            case RUNNING_STATISTIC:
                return Collections.emptyList();
            case BIAS:
            case BETA:
                return regularizationBias == null ? Collections.emptyList() : regularizationBias;
            default:
                return regularization == null ? Collections.emptyList() : regularization;
        }
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long n = initializer().numParams(this);
        long state = getIUpdater() == null ? 0 : getIUpdater().stateSize(n);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
                .standardMemory(n, state)
                .workingMemory(0, 0, 0, out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /**
     * Group of the input channel axis.
     *
     * @return the group name, or null when discrete
     */
    public String getInGroup() {
        return inGroup;
    }

    /**
     * Sets the group of the input channel axis.
     *
     * @param inGroup group name, or null for a discrete axis
     */
    public void setInGroup(String inGroup) {
        this.inGroup = inGroup;
    }

    /**
     * Group of the output channel axis.
     *
     * @return the group name, or null when discrete
     */
    public String getOutGroup() {
        return outGroup;
    }

    /**
     * Sets the group of the output channel axis.
     *
     * @param outGroup group name, or null for a discrete axis
     */
    public void setOutGroup(String outGroup) {
        this.outGroup = outGroup;
    }

    /**
     * Knots per full-size channel.
     *
     * @return the scale
     */
    public double getLambdaScale() {
        return lambdaScale;
    }

    /**
     * Sets the knots per full-size channel.
     *
     * @param lambdaScale positive scale
     */
    public void setLambdaScale(double lambdaScale) {
        this.lambdaScale = lambdaScale;
    }

    /**
     * The quadrature choice.
     *
     * @return the choice
     */
    public QuadratureChoice getQuadrature() {
        return quadrature;
    }

    /**
     * Sets the quadrature choice.
     *
     * @param quadrature the choice
     */
    public void setQuadrature(QuadratureChoice quadrature) {
        this.quadrature = quadrature;
    }

    /**
     * Which parameters are frozen (grid tuning trains the grids with frozen weights).
     *
     * @return the freeze mode
     */
    public Freeze getFreeze() {
        return freeze;
    }

    /**
     * Sets which parameters are frozen.
     *
     * @param freeze the mode
     */
    public void setFreeze(Freeze freeze) {
        this.freeze = freeze;
    }

    private boolean isFrozen(ParamSpec p) {
        return freeze == Freeze.ALL || (freeze == Freeze.WEIGHTS && p.role() == ParamSpec.Role.WEIGHT);
    }

    /**
     * Whether the input channel axis is continuous.
     *
     * @return true when it has a group
     */
    @JsonIgnore
    public boolean hasContinuousInput() {
        return inGroup != null;
    }

    /**
     * Whether the output channel axis is continuous.
     *
     * @return true when it has a group
     */
    @JsonIgnore
    public boolean hasContinuousOutput() {
        return outGroup != null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IntegralLayerConf c) || !super.equals(o)) {
            return false;
        }
        return Objects.equals(inGroup, c.inGroup) && Objects.equals(outGroup, c.outGroup)
                && lambdaScale == c.lambdaScale && quadrature == c.quadrature && freeze == c.freeze;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inGroup, outGroup, lambdaScale, quadrature, freeze);
    }

    /**
     * Builder of the shared settings.
     *
     * @param <T> the concrete builder
     */
    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {
        private String inGroup;
        private String outGroup;
        private double lambdaScale = 1.0;
        private QuadratureChoice quadrature = QuadratureChoice.REFERENCE;
        private Freeze freeze = Freeze.NONE;

        /**
         * Puts the input channel axis in a group (makes it continuous).
         *
         * @param group the group name
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T inGroup(String group) {
            this.inGroup = group;
            return (T) this;
        }

        /**
         * Puts the output channel axis in a group (makes it continuous).
         *
         * @param group the group name
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T outGroup(String group) {
            this.outGroup = group;
            return (T) this;
        }

        /**
         * Knots per full-size channel (default 1).
         *
         * @param scale positive scale
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T lambdaScale(double scale) {
            this.lambdaScale = scale;
            return (T) this;
        }

        /**
         * Where quadrature weights apply (default {@link QuadratureChoice#REFERENCE}).
         *
         * @param choice the choice
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T quadrature(QuadratureChoice choice) {
            this.quadrature = Checks.requireNonNull("Builder", "quadrature", choice);
            return (T) this;
        }

        /**
         * Freezes parameters (default {@link Freeze#NONE}).
         *
         * @param freeze which parameters get no updates
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T freeze(Freeze freeze) {
            this.freeze = Checks.requireNonNull("Builder", "freeze", freeze);
            return (T) this;
        }
    }
}
