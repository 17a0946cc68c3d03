package org.integral4j.convert.kinds;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.runtime.IntegralLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything Integral4J knows about one kind of DL4J layer, in one place: which configuration
 * classes it is, how its channels flow ({@link #channels}), its weight layout (DL4J's storage, the
 * layout the layer reports, and the canonical {@code (out, in, ...)} layout of weight functions),
 * how it becomes integral layers, how it is exported at new widths, and what it costs. The
 * channel-group analysis, the converter, the exporter, the cost counts and every "unsupported"
 * message derive from the kinds of a {@link LayerRegistry}; a layer type is added by registering
 * one kind ({@link LayerRegistry#with}).
 *
 * <p>Kinds are stateless and immutable. Methods receive DL4J's own configuration objects: they
 * read them and return new objects; they never modify their arguments. A frozen layer
 * ({@code FrozenLayer}, {@code FrozenLayerWithBackprop}) is handled by the kind of the layer it
 * wraps; the registry unwraps and re-wraps it.
 */
public interface LayerKind {

    /** How the conversion treats layers of a kind, for messages and documentation. */
    enum Support {
        /** Become integral layers; their channels can be resampled. */
        CONVERTED,
        /** No parameters on the channel axis; any channel count passes. */
        PASS_THROUGH,
        /** Accepted, but the groups they touch stay discrete. */
        CHANNELS_KEPT,
        /**
         * Channels understood (permuted and resized on export, e.g. by the L1 baseline), but no
         * integral counterpart: unsupported by the integral conversion wherever they would touch a
         * resampled group.
         */
        NO_INTEGRAL_LAYER,
        /** Known (counted), but unsupported wherever they would touch a resampled group. */
        NOT_CONVERTIBLE
    }

    /** @return a stable name, stored in saved models, e.g. {@code "CONV2D"} */
    String id();

    /** @return the DL4J configuration classes of this kind, matched exactly (a subclass may differ) */
    List<Class<? extends Layer>> layerClasses();

    /** @return a short description for messages and documentation, e.g. the weight layout */
    String description();

    /**
     * How the channel-group analysis treats a layer of this kind.
     *
     * @param layer the layer's configuration (not modified)
     * @return the rule
     */
    ChannelRule channels(Layer layer);

    /** @return how the conversion treats layers of this kind */
    Support support();

    /** @return whether layers of this kind become integral layers (may have continuous axes) */
    default boolean isConvertible() {
        return support() == Support.CONVERTED;
    }

    /**
     * @return whether a layer of this kind becomes integral layers also when all its axes are
     *         discrete (weights: yes, for one uniform network; batch norms: no, they stay DL4J's)
     */
    default boolean convertsWhenDiscrete() {
        return isConvertible();
    }

    /**
     * The integral layers that replace a layer of this kind (only for {@link #isConvertible()}
     * kinds).
     *
     * @param layer   the source layer's configuration, unwrapped (not modified)
     * @param context the node's groups and the conversion settings
     * @return the replacement chain, e.g. an integral dense layer and a loss layer for an output layer
     * @throws IllegalArgumentException when this layer cannot be resampled as configured
     */
    default List<Layer> integralLayers(Layer layer, ConversionContext context) {
        throw new UnsupportedOperationException(id() + " has no integral counterpart");
    }

    /**
     * One parameter as the layer reports it, from DL4J's storage. The identity for every layer
     * whose reported shape is what it computes with ({@code Convolution1DLayer} is the exception).
     *
     * @param key    the parameter key
     * @param stored the layer's parameter array (not modified)
     * @return a new array in the reported layout, whose axes mean what {@link #channels} says
     */
    default INDArray fromStorage(String key, INDArray stored) {
        return stored.dup();
    }

    /**
     * The inverse of {@link #fromStorage}: the array to assign to the layer's parameter.
     *
     * @param key   the parameter key
     * @param value the parameter in the reported layout (not modified)
     * @return the array in DL4J's storage order (may be {@code value} itself)
     */
    default INDArray toStorage(String key, INDArray value) {
        return value;
    }

    /**
     * The full-size discrete value of one integral parameter, from the source layer's parameters
     * (folded and permuted), in the parameter's shape: the canonical {@code (out, in, ...)} weight
     * of a weight function, or the vector of a discrete parameter.
     *
     * @param spec     the integral layer's parameter
     * @param discrete the source layer's parameters by key, in the reported layout (not modified)
     * @return a new array of shape {@code spec.function().weightShape()} or {@code spec.shape()}
     */
    default INDArray integralValue(ParamSpec spec, Map<String, INDArray> discrete) {
        throw new UnsupportedOperationException(id() + " has no integral parameters");
    }

    /**
     * One parameter of the exported plain layer, sampled from the integral layer at its current
     * size.
     *
     * @param key       the DL4J parameter key of the exported layer
     * @param integral  the integral layer that represents the node (first of its chain)
     * @param dl4jShape the shape the exported layer reports for the parameter
     * @return a new array of that shape, in the reported layout
     */
    default INDArray exportedValue(String key, IntegralLayer<?> integral, long[] dl4jShape) {
        throw new UnsupportedOperationException(id() + " has no integral parameters");
    }

    /** @return whether a batch norm right after a layer of this kind can be folded into its weights */
    default boolean foldsBatchNorm() {
        return false;
    }

    /**
     * A copy of the layer's configuration with the exported channel counts.
     *
     * @param layer  the source layer's configuration, unwrapped (not modified)
     * @param widths the channel counts
     * @return a new configuration
     */
    default Layer resized(Layer layer, ExportWidths widths) {
        return layer.clone();
    }

    /**
     * Multiply-accumulate operations of one forward pass of one example: the products of weights
     * and activations (element-wise operations such as activations, batch norms and pooling are not
     * counted).
     *
     * @param layer  the layer's configuration (at the widths to count)
     * @param input  the type the layer reads (after its preprocessor), from DL4J's shape inference
     * @param output the layer's output type
     * @return the count
     */
    long macs(Layer layer, InputType input, InputType output);
}
