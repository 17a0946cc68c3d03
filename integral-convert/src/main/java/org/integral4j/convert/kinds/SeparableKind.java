package org.integral4j.convert.kinds;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;

/**
 * {@code SeparableConvolution2D}: a depthwise part {@code W: [m, in, kH, kW]} (input channel on
 * axis 1, depth multiplier {@code m}), a pointwise part {@code pW: [out, in·m, 1, 1]} and
 * {@code b: [out]}. Its channels are understood (permuted, and resized in plain exports such as the
 * L1 baseline), but Integral4J has no integral separable convolution, so the integral conversion
 * keeps its channels discrete.
 */
final class SeparableKind implements LayerKind {

    @Override
    public String id() {
        return "SEPARABLE_CONV2D";
    }

    @Override
    public List<Class<? extends Layer>> layerClasses() {
        return List.of(SeparableConvolution2D.class);
    }

    @Override
    public String description() {
        return "depthwise W [multiplier, in, kH, kW], pointwise pW [out, in*multiplier, 1, 1], b [out];"
                + " Integral4J has no integral separable convolution";
    }

    @Override
    public Support support() {
        return Support.NO_INTEGRAL_LAYER;
    }

    @Override
    public ChannelRule channels(Layer layer) {
        SeparableConvolution2D s = (SeparableConvolution2D) layer;
        return new ChannelRule.Separable("W", "pW", s.getDepthMultiplier(), ActivationLayout.of(s.getCnn2dDataFormat()));
    }

    @Override
    public Layer resized(Layer layer, ExportWidths widths) {
        SeparableConvolution2D s = (SeparableConvolution2D) layer.clone();
        s.setNIn(widths.in(s.getNIn()));
        s.setNOut(widths.out(s.getNOut()));
        return s;
    }

    /**
     * The depthwise part computes {@code in·m} maps at the output resolution with {@code kH·kW}
     * products each, the pointwise part {@code out} maps from {@code in·m}:
     * {@code H·W · in·m · (kH·kW + out)}.
     */
    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        SeparableConvolution2D s = (SeparableConvolution2D) layer;
        long positions = output.arrayElementsPerExample() / s.getNOut();
        long maps = s.getNIn() * s.getDepthMultiplier();
        return positions * maps * (s.getKernelSize()[0] * s.getKernelSize()[1] + s.getNOut());
    }
}
