package org.integral4j.convert.kinds;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.integral4j.layers.conf.IntegralDense;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Dense layers ({@code DenseLayer}) and output layers ({@code OutputLayer}, a dense layer with a
 * loss): {@code W: [in, out]} ('f', a view into the flat parameter vector), {@code b: [out]}; the
 * canonical layout is the transpose {@code (out, in)}. A dense layer becomes an
 * {@code IntegralDense}; an output layer an {@code IntegralDense} without activation followed by a
 * {@code LossLayer} with the output layer's loss and activation. A dense layer that reads a flattened feature map gets the flatten's blocks
 * ({@link InputBlocks}).
 */
final class DenseKind extends WeightKind {

    private final boolean output;

    /**
     * @param id      the kind's name
     * @param classes the configuration classes ({@link FeedForwardLayer}s with {@code W: [in, out]}, {@code b})
     * @param output  whether the layer computes a loss (then it becomes a dense layer and a loss layer)
     */
    DenseKind(String id, List<Class<? extends Layer>> classes, boolean output) {
        super(id, classes, "W [in, out] ('f'), b [out]" + (output ? ", with a loss" : ""));
        this.output = output;
    }

    @Override
    public ChannelRule channels(Layer layer) {
        return new ChannelRule.Weighted(WEIGHT, 0, 1, 2, ActivationLayout.FEED_FORWARD, true);
    }

    @Override
    public List<Layer> integralLayers(Layer layer, ConversionContext context) {
        FeedForwardLayer d = (FeedForwardLayer) layer;
        IntegralDense.Builder b = new IntegralDense.Builder().hasBias(hasBias(d));
        if (context.inBlocks().featuresPerChannel() > 1) {
            b.inputBlocks(context.inBlocks().featuresPerChannel(), context.inBlocks().channelsLast());
        }
        copyBase(b, d, context.frozen());
        b.nIn(d.getNIn()).nOut(d.getNOut()).inGroup(context.inGroup()).outGroup(context.outGroup())
                .quadrature(context.quadrature()).lambdaScale(context.lambdaScale());
        if (output) {
            // The activation moves to the loss layer: DL4J's losses take their stable paths (MCXENT
            // with softmax: dL/dz = p - y) only when they see the activation themselves; after a
            // separate softmax they get dL/dp = -y/p, which overflows once p underflows.
            b.activation(Activation.IDENTITY);
        }
        IntegralDense dense = b.build();
        if (!output) {
            return List.of(dense);
        }
        OutputLayer o = (OutputLayer) layer;
        LossLayer loss = new LossLayer.Builder(o.getLossFn()).activation(o.getActivationFn()).build();
        loss.setLayerName(o.getLayerName());
        // Built outside a network builder, it has no updater; DL4J's JSON reader then takes the
        // legacy path and fails. It has no parameters, so any updater is right.
        loss.setIUpdater(o.getIUpdater() != null ? o.getIUpdater() : new NoOp());
        dense.setLayerName(o.getLayerName() == null ? null : o.getLayerName() + "-dense");
        return List.of(dense, loss);
    }

    /** Whether the layer has a bias ({@code hasBias()} is declared by each class, not by {@code FeedForwardLayer}). */
    private static boolean hasBias(FeedForwardLayer d) {
        if (d instanceof DenseLayer dense) {
            return dense.hasBias();
        }
        return !(d instanceof BaseOutputLayer o) || o.hasBias();
    }

    @Override
    INDArray canonicalWeight(INDArray w) {
        return w.transpose().dup('c');
    }

    @Override
    INDArray reportedWeight(INDArray canonical, long[] dl4jShape) {
        return canonical.reshape('c', dl4jShape[1], dl4jShape[0]).transpose().dup('f');
    }

    @Override
    public Layer resized(Layer layer, ExportWidths widths) {
        FeedForwardLayer d = (FeedForwardLayer) layer.clone();
        long block = widths.inBlocks().featuresPerChannel();
        d.setNIn(widths.in(d.getNIn() / block) * block);
        d.setNOut(widths.out(d.getNOut()));
        return d;
    }

    /** {@code in · out}. */
    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        FeedForwardLayer d = (FeedForwardLayer) layer;
        return d.getNIn() * d.getNOut();
    }
}
