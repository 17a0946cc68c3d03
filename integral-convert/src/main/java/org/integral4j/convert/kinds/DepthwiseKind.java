package org.integral4j.convert.kinds;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code DepthwiseConvolution2D}: {@code W: [kH, kW, in, m]} (depth multiplier {@code m}),
 * {@code b: [in·m]}; output channel {@code c·m + j} comes from input channel {@code c}. The
 * canonical layout is that of a grouped convolution with {@code in} groups,
 * {@code (in·m, 1, kH, kW)}. It becomes an {@code IntegralConvolution2D} with {@code in} groups;
 * resampling needs {@code m = 1}.
 */
final class DepthwiseKind extends WeightKind {

    DepthwiseKind(String id, List<Class<? extends Layer>> classes) {
        super(id, classes, "W [kH, kW, in, multiplier], b [in*multiplier]");
    }

    @Override
    public ChannelRule channels(Layer layer) {
        DepthwiseConvolution2D d = (DepthwiseConvolution2D) layer;
        return new ChannelRule.Depthwise(WEIGHT, 2, 4, d.getDepthMultiplier(), ActivationLayout.of(d.getCnn2dDataFormat()));
    }

    @Override
    public List<Layer> integralLayers(Layer layer, ConversionContext context) {
        DepthwiseConvolution2D c = (DepthwiseConvolution2D) layer;
        Checks.require(c.getDepthMultiplier() == 1 || context.outGroup() == null,
                "node '" + context.node() + "' (DepthwiseConvolution2D)", "a depthwise convolution with depth multiplier"
                        + " %d cannot be resampled. Keep its channels discrete with AnalysisOptions.builder()"
                        + ".forceDiscrete(\"%s\").", c.getDepthMultiplier(), context.node());
        IntegralConvolution2D.Builder b = new IntegralConvolution2D.Builder().dataFormat(c.getCnn2dDataFormat())
                .kernelSize(c.getKernelSize()).stride(c.getStride()).padding(c.getPadding()).dilation(c.getDilation())
                .convolutionMode(c.getConvolutionMode()).groups((int) c.getNIn()).hasBias(c.hasBias());
        b.inGroup(context.outGroup()).outGroup(context.outGroup());
        copyBase(b, c, context.frozen());
        b.nIn(c.getNIn()).nOut(c.getNOut()).quadrature(context.quadrature()).lambdaScale(context.lambdaScale());
        return List.of(b.build());
    }

    /** {@code [kH, kW, in, m] -> [in, m, kH, kW] -> [in·m, 1, kH, kW]}. */
    @Override
    INDArray canonicalWeight(INDArray w) {
        INDArray p = w.permute(2, 3, 0, 1).dup('c');
        return p.reshape('c', p.size(0) * p.size(1), 1, p.size(2), p.size(3));
    }

    /** {@code [in·m, 1, kH, kW] -> [in, m, kH, kW] -> [kH, kW, in, m]}. */
    @Override
    INDArray reportedWeight(INDArray canonical, long[] dl4jShape) {
        INDArray p = canonical.dup('c').reshape('c', dl4jShape[2], dl4jShape[3], dl4jShape[0], dl4jShape[1]);
        return p.permute(2, 3, 0, 1).dup('c');
    }

    @Override
    public Layer resized(Layer layer, ExportWidths widths) {
        DepthwiseConvolution2D c = (DepthwiseConvolution2D) layer.clone();
        long in = widths.out(c.getNIn());
        c.setNIn(in);
        c.setNOut(in * c.getDepthMultiplier());
        return c;
    }

    /** {@code out elements · kH · kW} (each output channel reads one input channel). */
    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        DepthwiseConvolution2D d = (DepthwiseConvolution2D) layer;
        return output.arrayElementsPerExample() * d.getKernelSize()[0] * d.getKernelSize()[1];
    }
}
