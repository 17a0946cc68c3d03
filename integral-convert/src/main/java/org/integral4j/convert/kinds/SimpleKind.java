package org.integral4j.convert.kinds;

import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A kind whose layers are never turned into integral layers: pass-through layers (no parameters
 * on the channel axis), layers whose channels must stay as they are, and layers Integral4J knows
 * but cannot convert. Exported as they are; its cost is given as a function.
 */
final class SimpleKind implements LayerKind {

    /** Multiply-accumulates of one layer, see {@link LayerKind#macs}. */
    @FunctionalInterface
    interface Cost {
        /**
         * @param layer  the configuration
         * @param input  the type it reads
         * @param output the type it emits
         * @return the count
         */
        long macs(Layer layer, InputType input, InputType output);
    }

    /** No multiply-accumulates (element-wise layers, pooling, losses). */
    static final Cost NONE = (layer, input, output) -> 0;

    private final String id;
    private final List<Class<? extends Layer>> classes;
    private final String description;
    private final Support support;
    private final Function<Layer, ChannelRule> rule;
    private final Cost cost;

    SimpleKind(String id, List<Class<? extends Layer>> classes, Support support, String description,
               Function<Layer, ChannelRule> rule, Cost cost) {
        this.id = id;
        this.classes = List.copyOf(classes);
        this.support = support;
        this.description = description;
        this.rule = rule;
        this.cost = cost;
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
        return support;
    }

    @Override
    public ChannelRule channels(Layer layer) {
        return rule.apply(layer);
    }

    @Override
    public long macs(Layer layer, InputType input, InputType output) {
        return cost.macs(layer, input, output);
    }

    @Override
    public String toString() {
        return id;
    }
}
