package org.integral4j.convert.kinds;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D convolutions ({@code ConvolutionLayer}, {@code Convolution2D}): {@code W: [out, in, kH, kW]}
 * 'c', which is already the canonical layout; {@code b: [out]}. They become
 * {@code IntegralConvolution2D}. {@link Convolution1DKind} shares the layout, batch-norm folding
 * and export.
 */
class ConvolutionKind extends WeightKind {

    ConvolutionKind(String id, List<Class<? extends Layer>> classes) {
        this(id, classes, "W [out, in, kH, kW], b [out]");
    }

    /** For kinds whose layers are {@code ConvolutionLayer}s with another description. */
    ConvolutionKind(String id, List<Class<? extends Layer>> classes, String description) {
        super(id, classes, description);
    }

    @Override
    public ChannelRule channels(Layer layer) {
        return new ChannelRule.Weighted(WEIGHT, 1, 0, 4,
                ActivationLayout.of(((ConvolutionLayer) layer).getCnn2dDataFormat()), false);
    }

    @Override
    public List<Layer> integralLayers(Layer layer, ConversionContext context) {
        ConvolutionLayer c = (ConvolutionLayer) layer;
        IntegralConvolution2D.Builder b = new IntegralConvolution2D.Builder().dataFormat(c.getCnn2dDataFormat())
                .kernelSize(c.getKernelSize()).stride(c.getStride()).padding(c.getPadding()).dilation(c.getDilation())
                .convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias() || context.receivesBatchNorm());
        copyBase(b, c, context.frozen());
        b.nIn(c.getNIn()).nOut(c.getNOut()).inGroup(context.inGroup()).outGroup(context.outGroup())
                .quadrature(context.quadrature()).lambdaScale(context.lambdaScale());
        return List.of(b.build());
    }

    @Override
    INDArray canonicalWeight(INDArray w) {
        return w.dup('c');
    }

    @Override
    INDArray reportedWeight(INDArray canonical, long[] dl4jShape) {
        return canonical.dup('c').reshape('c', dl4jShape);
    }

    @Override
    public boolean foldsBatchNorm() {
        return true;
    }

    @Override
    public Layer resized(Layer layer, ExportWidths widths) {
        ConvolutionLayer c = (ConvolutionLayer) layer.clone();
        c.setNIn(widths.in(c.getNIn()));
        c.setNOut(widths.out(c.getNOut()));
        if (widths.receivesBatchNorm()) {
            c.setHasBias(true);
        }
        return c;
    }

    /** {@code out elements · in · kH · kW}. */
    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        ConvolutionLayer c = (ConvolutionLayer) layer;
        return output.arrayElementsPerExample() * c.getNIn() * c.getKernelSize()[0] * c.getKernelSize()[1];
    }
}
