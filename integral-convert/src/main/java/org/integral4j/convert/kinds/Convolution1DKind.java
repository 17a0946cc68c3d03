package org.integral4j.convert.kinds;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.IntegralConvolution1D;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 1-D convolutions ({@code Convolution1DLayer}, {@code Convolution1D}). DL4J 1.0.0-M2.1 reports
 * the weight as {@code [out, in, k, 1]} ('c') but computes with the same memory read as
 * {@code [k, in, out]} ('c'), so an index of the reported view is not an (output, input, tap)
 * triple. {@link #fromStorage} returns the array whose {@code [o, c, j, 0]} really is the weight of
 * output {@code o}, input {@code c}, tap {@code j}; {@link #toStorage} is its inverse. They become
 * {@code IntegralConvolution1D}. Canonical layout, batch-norm folding and export are those of
 * {@link ConvolutionKind} ({@code Convolution1DLayer} is a {@code ConvolutionLayer}).
 */
final class Convolution1DKind extends ConvolutionKind {

    Convolution1DKind(String id, List<Class<? extends Layer>> classes) {
        super(id, classes, "W [out, in, k, 1] (stored as [k, in, out]), b [out]");
    }

    @Override
    public ChannelRule channels(Layer layer) {
        return new ChannelRule.Weighted(WEIGHT, 1, 0, 4,
                ActivationLayout.of(((Convolution1DLayer) layer).getRnnDataFormat()), false);
    }

    @Override
    public List<Layer> integralLayers(Layer layer, ConversionContext context) {
        Convolution1DLayer c = (Convolution1DLayer) layer;
        IntegralConvolution1D.Builder b = new IntegralConvolution1D.Builder().kernelSize(c.getKernelSize()[0])
                .stride(c.getStride()[0]).padding(c.getPadding()[0]).dilation(c.getDilation()[0])
                .convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias() || context.receivesBatchNorm());
        copyBase(b, c, context.frozen());
        b.nIn(c.getNIn()).nOut(c.getNOut()).inGroup(context.inGroup()).outGroup(context.outGroup())
                .quadrature(context.quadrature()).lambdaScale(context.lambdaScale());
        return List.of(b.build());
    }

    /** Storage {@code [k, in, out]} read as the computed {@code [out, in, k, 1]}. */
    @Override
    public INDArray fromStorage(String key, INDArray stored) {
        if (!key.equals(WEIGHT)) {
            return stored.dup();
        }
        long out = stored.size(0);
        long in = stored.size(1);
        long k = stored.size(2);
        INDArray kio = stored.dup('c').reshape('c', k, in, out);
        return kio.permute(2, 1, 0).dup('c').reshape('c', out, in, k, 1);
    }

    /** The computed {@code [out, in, k, 1]} written in storage order {@code [k, in, out]}. */
    @Override
    public INDArray toStorage(String key, INDArray value) {
        if (!key.equals(WEIGHT)) {
            return value;
        }
        long out = value.size(0);
        long in = value.size(1);
        long k = value.size(2);
        INDArray oik = value.dup('c').reshape('c', out, in, k);
        return oik.permute(2, 1, 0).dup('c').reshape('c', out, in, k, 1);
    }

    /** {@code out elements · in · k} (out elements = out channels · time steps). */
    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        Convolution1DLayer c = (Convolution1DLayer) layer;
        return output.arrayElementsPerExample() * c.getNIn() * c.getKernelSize()[0];
    }
}
