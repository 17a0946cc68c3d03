package org.integral4j.convert.kinds;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.Freeze;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The common part of the kinds whose weight {@code W} (and optional bias {@code b}) become weight
 * functions: moving values between the layout the layer reports and the canonical
 * {@code (out, in, ...)} layout of weight functions, and carrying DL4J's per-layer settings over to
 * the integral layer.
 */
abstract class WeightKind implements LayerKind {

    /** The weight's key in DL4J and in the integral layers. */
    static final String WEIGHT = IntegralDense.WEIGHT;
    /** The bias' key in DL4J and in the integral layers. */
    static final String BIAS = IntegralDense.BIAS;

    private final String id;
    private final List<Class<? extends Layer>> classes;
    private final String description;

    WeightKind(String id, List<Class<? extends Layer>> classes, String description) {
        this.id = id;
        this.classes = List.copyOf(classes);
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Class<? extends Layer>> layerClasses() {
        return classes;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Support support() {
        return Support.CONVERTED;
    }

    /**
     * The reported weight in the canonical layout.
     *
     * @param w the weight as the layer reports it (not modified)
     * @return a new 'c' array {@code (out, in, ...)}
     */
    abstract INDArray canonicalWeight(INDArray w);

    /**
     * The inverse of {@link #canonicalWeight}.
     *
     * @param canonical the canonical weight (not modified); any shape with the right length
     * @param dl4jShape the shape the layer reports
     * @return a new array of that shape in the reported layout
     */
    abstract INDArray reportedWeight(INDArray canonical, long[] dl4jShape);

    @Override
    public INDArray integralValue(ParamSpec spec, Map<String, INDArray> discrete) {
        long[] full = spec.isFunction() ? spec.function().weightShape() : spec.shape();
        INDArray w = discrete.get(WEIGHT);
        if (spec.key().equals(WEIGHT)) {
            return canonicalWeight(w).reshape('c', full);
        }
        INDArray b = discrete.get(BIAS);
        return b != null ? b.reshape('c', full) : Nd4j.zeros(w.dataType(), full);
    }

    @Override
    public INDArray exportedValue(String key, IntegralLayer<?> integral, long[] dl4jShape) {
        if (key.equals(WEIGHT)) {
            return reportedWeight(integral.sampledParameter(WEIGHT), dl4jShape);
        }
        return integral.sampledParameter(BIAS).reshape(dl4jShape).dup();
    }

    /**
     * Copies DL4J's per-layer settings (those the network defaults filled in) to an integral layer.
     *
     * @param b      the integral layer's builder (modified)
     * @param source the source layer (not modified)
     * @param frozen whether the source was frozen: only grids train then
     */
    static void copyBase(IntegralLayerConf.Builder<?> b, BaseLayer source, boolean frozen) {
        Checks.require(source.getWeightNoise() == null, "layer '" + source.getLayerName() + "'",
                "weight noise cannot be converted; remove it before wrapping.");
        b.name(source.getLayerName());
        b.activation(source.getActivationFn());
        b.weightInit(source.getWeightInitFn());
        b.biasInit(source.getBiasInit());
        b.updater(source.getIUpdater());
        b.biasUpdater(source.getBiasUpdater());
        if (source.getRegularization() != null) {
            b.regularization(source.getRegularization());
        }
        if (source.getRegularizationBias() != null) {
            b.regularizationBias(source.getRegularizationBias());
        }
        b.gradientNormalization(source.getGradientNormalization());
        b.gradientNormalizationThreshold(source.getGradientNormalizationThreshold());
        if (source.getIDropout() != null) {
            b.dropOut(source.getIDropout().clone());
        }
        if (source.getConstraints() != null && !source.getConstraints().isEmpty()) {
            b.constrainAllParameters(source.getConstraints().toArray(new LayerConstraint[0]));
        }
        if (frozen) {
            b.freeze(Freeze.ALL);
        }
    }
}
