package org.integral4j.convert;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralConvolution1D;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.conf.IntegralFlattenPreProcessor;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.QuadratureChoice;
import org.nd4j.linalg.activations.Activation;

/**
 * Maps DL4J layer configurations to integral layer configurations and back (at new widths),
 * carrying over everything DL4J copied into the layer from the network defaults (activation,
 * weight init, updaters, regularisation, gradient normalisation, dropout, constraints).
 */
final class Conversions {

    private Conversions() {
    }

    /** Settings of the integral layers that do not come from the source layer. */
    record IntegralSettings(QuadratureChoice quadrature, double lambdaScale) {
    }

    /**
     * The integral layers for a convertible source layer.
     *
     * @param record   how the node is converted
     * @param layer    the source layer configuration (not modified)
     * @param settings quadrature and knot resolution
     * @return the replacement chain (an output layer becomes an integral dense layer and a loss layer)
     */
    static java.util.List<Layer> integralLayers(NodeRecord record, Layer layer, IntegralSettings settings) {
        String where = "node '" + record.name() + "' (" + layer.getClass().getSimpleName() + ")";
        switch (record.kind()) {
            case CONV2D: {
                ConvolutionLayer c = (ConvolutionLayer) layer;
                IntegralConvolution2D.Builder b = new IntegralConvolution2D.Builder().dataFormat(c.getCnn2dDataFormat())
                        .kernelSize(c.getKernelSize())
                        .stride(c.getStride()).padding(c.getPadding()).dilation(c.getDilation())
                        .convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias() || record.receivesBatchNorm());
                return java.util.List.of(common(b, record, c, settings).build());
            }
            case CONV1D: {
                Convolution1DLayer c = (Convolution1DLayer) layer;
                IntegralConvolution1D.Builder b = new IntegralConvolution1D.Builder().kernelSize(c.getKernelSize()[0])
                        .stride(c.getStride()[0]).padding(c.getPadding()[0]).dilation(c.getDilation()[0])
                        .convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias() || record.receivesBatchNorm());
                return java.util.List.of(common(b, record, c, settings).build());
            }
            case DEPTHWISE: {
                DepthwiseConvolution2D c = (DepthwiseConvolution2D) layer;
                org.integral4j.util.Checks.require(c.getDepthMultiplier() == 1 || record.outGroup() == null, where,
                        "a depthwise convolution with depth multiplier %d cannot be resampled. Keep its channels "
                                + "discrete with AnalysisOptions.builder().forceDiscrete(\"%s\").", c.getDepthMultiplier(),
                        record.name());
                IntegralConvolution2D.Builder b = new IntegralConvolution2D.Builder().dataFormat(c.getCnn2dDataFormat())
                        .kernelSize(c.getKernelSize())
                        .stride(c.getStride()).padding(c.getPadding()).dilation(c.getDilation())
                        .convolutionMode(c.getConvolutionMode()).groups((int) c.getNIn()).hasBias(c.hasBias());
                b.inGroup(record.outGroup()).outGroup(record.outGroup());
                copyBase(b, c);
                b.nIn(c.getNIn()).nOut(c.getNOut()).quadrature(settings.quadrature()).lambdaScale(settings.lambdaScale());
                return java.util.List.of(b.build());
            }
            case DENSE:
            case OUTPUT: {
                FeedForwardLayer d = (FeedForwardLayer) layer;
                IntegralDense.Builder b = new IntegralDense.Builder().hasBias(hasBias(d));
                if (record.inBlocks().featuresPerChannel() > 1) {
                    b.inputBlocks(record.inBlocks().featuresPerChannel(), record.inBlocks().channelsLast());
                }
                IntegralDense dense = common(b, record, d, settings).build();
                if (record.kind() == LayerKind.DENSE) {
                    return java.util.List.of(dense);
                }
                OutputLayer o = (OutputLayer) layer;
                LossLayer loss = new LossLayer.Builder(o.getLossFn()).activation(Activation.IDENTITY).build();
                loss.setLayerName(o.getLayerName());
                // Built outside a network builder, it has no updater; DL4J's JSON reader then takes the
                // legacy path and fails. It has no parameters, so any updater is right.
                loss.setIUpdater(o.getIUpdater() != null ? o.getIUpdater() : new org.nd4j.linalg.learning.config.NoOp());
                dense.setLayerName(o.getLayerName() == null ? null : o.getLayerName() + "-dense");
                return java.util.List.of(dense, loss);
            }
            case BATCH_NORM: {
                BatchNormalization bn = (BatchNormalization) layer;
                IntegralBatchNormalization.Builder b = new IntegralBatchNormalization.Builder()
                        .dataFormat(bn.getCnn2DFormat()).decay(bn.getDecay())
                        .eps(bn.getEps()).initial(bn.getGamma(), bn.getBeta());
                if (record.outGroup() != null) {
                    b.group(record.outGroup());
                }
                copyBase(b, bn);
                b.nIn(bn.getNIn()).nOut(bn.getNOut()).lambdaScale(settings.lambdaScale());
                return java.util.List.of(b.build());
            }
            default:
                throw new IllegalStateException(where + " is not convertible");
        }
    }

    private static boolean hasBias(FeedForwardLayer d) {
        if (d instanceof DenseLayer dl) {
            return dl.hasBias();
        }
        return ((OutputLayer) d).hasBias();
    }

    private static <T extends IntegralLayerConf.Builder<T>> T common(T b, NodeRecord record, FeedForwardLayer source,
                                                                    IntegralSettings settings) {
        copyBase(b, (BaseLayer) source);
        b.nIn(source.getNIn()).nOut(source.getNOut()).inGroup(record.inGroup()).outGroup(record.outGroup())
                .quadrature(settings.quadrature()).lambdaScale(settings.lambdaScale());
        return b;
    }

    private static void copyBase(IntegralLayerConf.Builder<?> b, BaseLayer source) {
        org.integral4j.util.Checks.require(source.getWeightNoise() == null, "layer '" + source.getLayerName() + "'",
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
            b.constrainAllParameters(source.getConstraints().toArray(new org.deeplearning4j.nn.api.layers.LayerConstraint[0]));
        }
    }

    /**
     * DL4J's flatten preprocessor replaced by one that accepts any channel count.
     *
     * @param pre a preprocessor, or null
     * @return the replacement, or {@code pre} itself
     */
    static InputPreProcessor resizable(InputPreProcessor pre) {
        if (pre instanceof CnnToFeedForwardPreProcessor p) {
            return new IntegralFlattenPreProcessor(p.getInputHeight(), p.getInputWidth(), p.getFormat());
        }
        return pre;
    }
}
