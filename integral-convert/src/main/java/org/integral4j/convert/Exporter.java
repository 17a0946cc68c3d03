package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.integral4j.convert.kinds.ExportWidths;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jConfiguration;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkTransform;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.convert.network.RebuiltNetwork;
import org.integral4j.convert.network.Replacement;
import org.integral4j.layers.conf.IntegralFlattenPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds plain DL4J networks (of the source's type, with the source's global settings and layer
 * types) at given channel counts: the export of an integral model, the permuted discrete network
 * and the L1 channel-selection baseline. Folded batch norms are left out (their effect is in the
 * convolution's weights); DL4J's own flatten preprocessors are used, so the result loads with
 * {@code ModelSerializer} without Integral4J on the classpath.
 */
final class Exporter {

    private Exporter() {
    }

    /**
     * Builds the network.
     *
     * @param sourceConf the source configuration (not modified)
     * @param records    how each node was converted
     * @param sizes      current channel count of each continuous group; a group missing here keeps
     *                   its full size
     * @param params     where the parameters come from
     * @return the initialised network with its parameters set, and the node names of each source
     *         layer's layer in it
     */
    static RebuiltNetwork export(Dl4jConfiguration sourceConf, List<NodeRecord> records, Map<String, Integer> sizes,
                                 ParamTransfer.Source params) {
        Map<String, NodeRecord> byName = new LinkedHashMap<>();
        for (NodeRecord r : records) {
            byName.put(r.name(), r);
        }
        RebuiltNetwork built = sourceConf.rebuild(new NetworkTransform() {
            @Override
            public Replacement layer(NodeSpec node, Layer layer) {
                NodeRecord r = byName.get(node.name());
                return r.fusedInto() != null ? Replacement.remove() : Replacement.with(resized(r, layer, sizes));
            }

            @Override
            public InputPreProcessor preProcessor(NodeSpec node, InputPreProcessor original) {
                return flattenFor(original, byName.get(node.name()).inGroup(), sizes);
            }

            @Override
            public GraphVertex vertex(NodeSpec node, GraphVertex original) {
                if (original instanceof PreprocessorVertex pv) {
                    return new PreprocessorVertex(flattenFor(pv.getPreProcessor(), byName.get(node.name()).inGroup(),
                            sizes));
                }
                return original.clone();
            }
        });
        for (NodeRecord r : records) {
            List<String> ids = built.layersOf().getOrDefault(r.name(), List.of());
            if (ids.isEmpty()) {
                continue;
            }
            var layer = built.network().layer(ids.get(0));
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray value = params.param(r, e.getKey(), e.getValue().shape());
                layer.setParam(e.getKey(), r.kind().toStorage(e.getKey(), value).castTo(e.getValue().dataType()));
            }
        }
        return built;
    }

    /** A copy of a source layer's configuration at the group sizes (a frozen layer stays frozen). */
    private static Layer resized(NodeRecord r, Layer layer, Map<String, Integer> sizes) {
        ExportWidths widths = new ExportWidths(sizeOf(r.inGroup(), sizes), sizeOf(r.outGroup(), sizes), r.inBlocks(),
                r.receivesBatchNorm());
        return LayerRegistry.rewrap(layer, r.kind().resized(LayerRegistry.unwrap(layer), widths));
    }

    private static OptionalInt sizeOf(String group, Map<String, Integer> sizes) {
        return group != null && sizes.containsKey(group) ? OptionalInt.of(sizes.get(group)) : OptionalInt.empty();
    }

    private static InputPreProcessor flattenFor(InputPreProcessor pre, String group, Map<String, Integer> sizes) {
        if (pre == null) {
            return null;
        }
        if (pre instanceof CnnToFeedForwardPreProcessor p) {
            return new CnnToFeedForwardPreProcessor(p.getInputHeight(), p.getInputWidth(),
                    width(group, p.getNumChannels(), sizes), p.getFormat());
        }
        if (pre instanceof IntegralFlattenPreProcessor) {
            throw new IllegalStateException("the source network has no integral preprocessors");
        }
        return pre.clone();
    }

    private static long width(String group, long full, Map<String, Integer> sizes) {
        return group == null ? full : sizes.getOrDefault(group, (int) full);
    }
}
