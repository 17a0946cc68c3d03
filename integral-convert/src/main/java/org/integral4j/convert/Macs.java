package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jConfiguration;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multiply-accumulate counts of plain DL4J networks from their configurations and input types,
 * layer by layer as each layer's kind counts them ({@link LayerKind#macs}).
 */
final class Macs {

    private static final Logger LOG = LoggerFactory.getLogger(Macs.class);

    private Macs() {
    }

    /**
     * MACs of one forward pass of one example.
     *
     * @param conf       a network configuration (not modified)
     * @param registry   the layer kinds
     * @param inputTypes its input types
     * @return the count
     */
    static long of(Dl4jConfiguration conf, LayerRegistry registry, InputType... inputTypes) {
        return perLayer(conf, registry, inputTypes).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * MACs of one forward pass of one example, per layer. A layer whose class no kind describes
     * counts 0 (with a warning).
     *
     * @param conf       a network configuration (not modified)
     * @param registry   the layer kinds
     * @param inputTypes its input types
     * @return layer node name to its count, in network order
     * @throws IllegalArgumentException when no input types are given or DL4J rejects them
     */
    static Map<String, Long> perLayer(Dl4jConfiguration conf, LayerRegistry registry, InputType... inputTypes) {
        Checks.require(inputTypes != null && inputTypes.length > 0, "CompressionMetrics",
                "MACs need the network's input types (e.g. InputType.convolutional(28, 28, 1)).");
        Map<String, InputType> types = conf.outputTypes(inputTypes);
        Map<String, Long> macs = new LinkedHashMap<>();
        for (NodeSpec node : conf.nodes()) {
            if (node.kind() != NodeSpec.Kind.LAYER) {
                continue;
            }
            Layer layer = LayerRegistry.unwrap(node.layer());
            Optional<LayerKind> kind = registry.kindOf(layer);
            if (kind.isEmpty()) {
                LOG.warn("MACs of layer '{}' ({}) are not counted: no layer kind describes it", node.name(),
                        layer.getClass().getSimpleName());
            }
            InputType in = inputOf(node, types);
            InputType out = types.get(node.name());
            macs.put(node.name(), kind.map(k -> k.macs(layer, in, out)).orElse(0L));
        }
        return macs;
    }

    /** The type a layer reads: its input node's output type, through its preprocessor. */
    private static InputType inputOf(NodeSpec node, Map<String, InputType> types) {
        InputType in = types.get(node.inputs().get(0));
        return node.preProcessor() == null ? in : node.preProcessor().getOutputType(in);
    }
}
