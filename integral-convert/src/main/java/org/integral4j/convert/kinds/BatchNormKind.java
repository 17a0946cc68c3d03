package org.integral4j.convert.kinds;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.runtime.IntegralLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code BatchNormalization}: {@code gamma, beta, mean} and {@code log10stdev} (or {@code var}),
 * each {@code [n]}, one value per channel of the group it reads and emits. On a continuous group it
 * becomes an {@code IntegralBatchNormalization} whose parameters are functions on the channel
 * grid, so it stays valid when resized; a discrete one stays DL4J's. (Batch norms folded into the
 * convolution before them never reach this kind's conversion.)
 */
final class BatchNormKind implements LayerKind {

    /** The parameter keys DL4J uses. */
    static final Set<String> KEYS = Set.of("gamma", "beta", "mean", "var", "log10stdev");

    @Override
    public String id() {
        return "BATCH_NORM";
    }

    @Override
    public List<Class<? extends Layer>> layerClasses() {
        return List.of(BatchNormalization.class);
    }

    @Override
    public String description() {
        return "gamma, beta, mean, log10stdev|var, each [n]";
    }

    @Override
    public ChannelRule channels(Layer layer) {
        return new ChannelRule.PerChannel(KEYS);
    }

    @Override
    public Support support() {
        return Support.CONVERTED;
    }

    @Override
    public boolean convertsWhenDiscrete() {
        return false;
    }

    @Override
    public List<Layer> integralLayers(Layer layer, ConversionContext context) {
        BatchNormalization bn = (BatchNormalization) layer;
        IntegralBatchNormalization.Builder b = new IntegralBatchNormalization.Builder()
                .dataFormat(bn.getCnn2DFormat()).decay(bn.getDecay()).eps(bn.getEps())
                .initial(bn.getGamma(), bn.getBeta());
        if (context.outGroup() != null) {
            b.group(context.outGroup());
        }
        WeightKind.copyBase(b, bn, context.frozen());
        b.nIn(bn.getNIn()).nOut(bn.getNOut()).lambdaScale(context.lambdaScale());
        return List.of(b.build());
    }

    /** Gamma, beta and mean as they are; {@code log10(std)} from {@code log10stdev} or {@code 0.5 log10(var)}. */
    @Override
    public INDArray integralValue(ParamSpec spec, Map<String, INDArray> discrete) {
        long[] full = spec.isFunction() ? spec.function().weightShape() : spec.shape();
        switch (spec.key()) {
            case IntegralBatchNormalization.GAMMA:
            case IntegralBatchNormalization.BETA:
            case IntegralBatchNormalization.MEAN:
                return discrete.get(spec.key()).reshape('c', full);
            case IntegralBatchNormalization.LOG10_STD:
                if (discrete.containsKey("log10stdev")) {
                    return discrete.get("log10stdev").reshape('c', full);
                }
                return Transforms.log(discrete.get("var").reshape('c', full), 10.0, true).muli(0.5);
            default:
                throw new IllegalStateException("unknown batch-norm parameter " + spec.key());
        }
    }

    /** The sampled parameter; {@code var = (10^log10std)^2} when the exported layer stores the variance. */
    @Override
    public INDArray exportedValue(String key, IntegralLayer<?> integral, long[] dl4jShape) {
        if (key.equals("var")) {
            INDArray log10std = integral.sampledParameter(IntegralBatchNormalization.LOG10_STD);
            return Transforms.pow(Nd4j.valueArrayOf(log10std.shape(), 10.0, log10std.dataType()), log10std.mul(2),
                    false).reshape(dl4jShape);
        }
        return integral.sampledParameter(key).reshape(dl4jShape).dup();
    }

    @Override
    public Layer resized(Layer layer, ExportWidths widths) {
        BatchNormalization b = (BatchNormalization) layer.clone();
        long n = widths.out(b.getNOut());
        b.setNIn(n);
        b.setNOut(n);
        return b;
    }

    /** Element-wise: not counted. */
    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        return 0;
    }
}
