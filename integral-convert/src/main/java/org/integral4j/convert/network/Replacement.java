package org.integral4j.convert.network;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.util.Checks;

/**
 * What one layer of a network becomes when the network is rebuilt
 * ({@link Dl4jConfiguration#rebuild}): kept as it is, removed (its consumers then read its single
 * input), or replaced by a chain of one or more layers.
 */
public sealed interface Replacement {

    /** The layer is kept: a copy of its configuration, same name, same preprocessor. */
    record Keep() implements Replacement {
    }

    /**
     * The layer is removed; its consumers read its input. Only a single-input layer that is not a
     * network output and has no preprocessor can be removed.
     */
    record Remove() implements Replacement {
    }

    /**
     * The layer is replaced by a chain; the first layer reads the node's input (through the
     * node's preprocessor), the last one keeps the node's name in a graph, so consumers and
     * network outputs are unchanged.
     *
     * @param layers the chain, at least one layer (new objects, owned by the rebuilt network)
     */
    record Chain(List<Layer> layers) implements Replacement {
        /** Checks and copies the list. */
        public Chain {
            Checks.require(layers != null && !layers.isEmpty(), "Replacement.Chain",
                    "a chain needs at least one layer; use Replacement.remove() to drop a layer.");
            layers = List.copyOf(layers);
        }
    }

    /** @return keep the layer */
    static Replacement keep() {
        return new Keep();
    }

    /** @return remove the layer */
    static Replacement remove() {
        return new Remove();
    }

    /**
     * @param layers the replacement layers, in order
     * @return replace the layer by these
     */
    static Replacement chain(List<Layer> layers) {
        return new Chain(layers);
    }

    /**
     * @param layer the replacement layer
     * @return replace the layer by this one
     */
    static Replacement with(Layer layer) {
        return new Chain(List.of(layer));
    }
}
