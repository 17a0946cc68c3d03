package org.integral4j.convert;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J layers that Integral4J turns into integral layers, matched by exact class (a subclass
 * may behave differently), with the conversions between DL4J's weight layouts and the canonical
 * {@code (out, in, ...)} layout of Integral4J.
 */
enum LayerKind {
    /** {@code ConvolutionLayer}/{@code Convolution2D}: W {@code [out, in, kH, kW]} 'c'. */
    CONV2D,
    /**
     * {@code Convolution1DLayer}/{@code Convolution1D}: W {@code [out, in, k, 1]} as returned by
     * {@link org.integral4j.convert.graph.ModelView#param} (DL4J's storage differs; see
     * {@link org.integral4j.convert.graph.ModelView#conv1dWeightFromStorage}).
     */
    CONV1D,
    /** {@code DepthwiseConvolution2D}: W {@code [kH, kW, in, multiplier]}. */
    DEPTHWISE,
    /** {@code DenseLayer}: W {@code [in, out]} 'f'. */
    DENSE,
    /** {@code OutputLayer}: a dense layer with a loss; W {@code [in, out]} 'f'. */
    OUTPUT,
    /** {@code BatchNormalization}: gamma, beta, mean, log10stdev or var, each {@code [n]}. */
    BATCH_NORM,
    /** Any other layer: kept as it is. */
    OTHER;

    /**
     * The kind of a layer configuration.
     *
     * @param layer the DL4J layer configuration
     * @return its kind
     */
    static LayerKind of(Layer layer) {
        Class<?> c = layer.getClass();
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            return CONV2D;
        }
        if (c == Convolution1DLayer.class || c == Convolution1D.class) {
            return CONV1D;
        }
        if (c == DepthwiseConvolution2D.class) {
            return DEPTHWISE;
        }
        if (c == DenseLayer.class) {
            return DENSE;
        }
        if (c == OutputLayer.class) {
            return OUTPUT;
        }
        if (c == BatchNormalization.class) {
            return BATCH_NORM;
        }
        return OTHER;
    }

    /**
     * Whether layers of this kind have a weight and bias that become weight functions.
     *
     * @return true for convolutions and dense layers
     */
    boolean hasWeight() {
        return this == CONV2D || this == CONV1D || this == DEPTHWISE || this == DENSE || this == OUTPUT;
    }

    /**
     * DL4J's weight to the canonical layout: convolutions {@code (out, in, kH, kW)}, dense
     * {@code (out, in)}, depthwise {@code (in * m, 1, kH, kW)} (output channel {@code c m + j}).
     *
     * @param w the DL4J weight (not modified)
     * @return a new 'c' array
     */
    INDArray canonicalWeight(INDArray w) {
        switch (this) {
            case CONV2D:
            case CONV1D:
                return w.dup('c');
            case DENSE:
            case OUTPUT:
                return w.transpose().dup('c');
            case DEPTHWISE:
                // [kH, kW, in, m] -> [in, m, kH, kW] -> [in * m, 1, kH, kW]
                INDArray p = w.permute(2, 3, 0, 1).dup('c');
                return p.reshape('c', p.size(0) * p.size(1), 1, p.size(2), p.size(3));
            default:
                throw new IllegalStateException(this + " has no weight");
        }
    }

    /**
     * The inverse of {@link #canonicalWeight}.
     *
     * @param canonical the canonical weight (not modified)
     * @param dl4jShape the shape of DL4J's weight array
     * @return a new array in DL4J's layout and order
     */
    INDArray dl4jWeight(INDArray canonical, long[] dl4jShape) {
        switch (this) {
            case CONV2D:
                return canonical.dup('c').reshape('c', dl4jShape);
            case CONV1D:
                return org.integral4j.convert.graph.ModelView.conv1dWeightToStorage(
                        canonical.dup('c').reshape('c', dl4jShape));
            case DENSE:
            case OUTPUT:
                return canonical.reshape('c', dl4jShape[1], dl4jShape[0]).transpose().dup('f');
            case DEPTHWISE:
                // [in * m, 1, kH, kW] -> [in, m, kH, kW] -> [kH, kW, in, m]
                INDArray p = canonical.dup('c').reshape('c', dl4jShape[2], dl4jShape[3], dl4jShape[0], dl4jShape[1]);
                return p.permute(2, 3, 0, 1).dup('c');
            default:
                throw new IllegalStateException(this + " has no weight");
        }
    }
}
