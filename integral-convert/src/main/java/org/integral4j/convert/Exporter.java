package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

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
     * @param sourceConf the source configuration (a {@link MultiLayerConfiguration} or
     *                   {@link ComputationGraphConfiguration}; cloned, not modified)
     * @param nodes      the source nodes
     * @param records    how each node was converted
     * @param sizes      current channel count of each continuous group; a group missing here keeps
     *                   its full size
     * @param params     where the parameters come from
     * @return the initialised network with its parameters set
     */
    static Model export(Object sourceConf, List<NetworkRebuilder.SourceNode> nodes, List<NodeRecord> records,
                        Map<String, Integer> sizes, ParamTransfer.Source params) {
        Map<String, NodeRecord> byName = new LinkedHashMap<>();
        for (NodeRecord r : records) {
            byName.put(r.name(), r);
        }
        NetworkRebuilder.Transform transform = new NetworkRebuilder.Transform() {
            @Override
            public List<org.deeplearning4j.nn.conf.layers.Layer> layers(NetworkRebuilder.SourceNode node,
                                                                       org.deeplearning4j.nn.conf.layers.Layer layer) {
                NodeRecord r = byName.get(node.name());
                if (r.fusedInto() != null) {
                    return List.of();
                }
                org.deeplearning4j.nn.conf.layers.Layer copy = layer.clone();
                switch (r.kind()) {
                    case CONV2D:
                    case CONV1D: {
                        ConvolutionLayer c = (ConvolutionLayer) copy;
                        c.setNIn(width(r.inGroup(), c.getNIn(), sizes));
                        c.setNOut(width(r.outGroup(), c.getNOut(), sizes));
                        if (r.receivesBatchNorm()) {
                            c.setHasBias(true);
                        }
                        return List.of(c);
                    }
                    case DEPTHWISE: {
                        DepthwiseConvolution2D c = (DepthwiseConvolution2D) copy;
                        long in = width(r.outGroup(), c.getNIn(), sizes);
                        c.setNIn(in);
                        c.setNOut(in * c.getDepthMultiplier());
                        return List.of(c);
                    }
                    case DENSE:
                    case OUTPUT: {
                        FeedForwardLayer d = (FeedForwardLayer) copy;
                        long block = r.inBlock();
                        d.setNIn(width(r.inGroup(), d.getNIn() / block, sizes) * block);
                        d.setNOut(width(r.outGroup(), d.getNOut(), sizes));
                        return List.of(d);
                    }
                    case BATCH_NORM: {
                        BatchNormalization b = (BatchNormalization) copy;
                        long n = width(r.outGroup(), b.getNOut(), sizes);
                        b.setNIn(n);
                        b.setNOut(n);
                        return List.of(b);
                    }
                    default:
                        return List.of(copy);
                }
            }

            @Override
            public InputPreProcessor preProcessor(NetworkRebuilder.SourceNode node, InputPreProcessor original) {
                NodeRecord r = byName.get(node.name());
                return flattenFor(original, r.inGroup(), sizes);
            }

            @Override
            public GraphVertex vertex(NetworkRebuilder.SourceNode node, GraphVertex original) {
                if (original instanceof PreprocessorVertex pv) {
                    NodeRecord r = byName.get(node.name());
                    return new PreprocessorVertex(flattenFor(pv.getPreProcessor(), r.inGroup(), sizes));
                }
                return original.clone();
            }
        };
        NetworkRebuilder.Result built = sourceConf instanceof MultiLayerConfiguration m
                ? NetworkRebuilder.rebuild(m, nodes, transform)
                : NetworkRebuilder.rebuild((ComputationGraphConfiguration) sourceConf, nodes, transform);
        for (NodeRecord r : records) {
            List<String> ids = built.layers().getOrDefault(r.name(), List.of());
            if (ids.isEmpty()) {
                continue;
            }
            Layer layer = ParamTransfer.layer(built.network(), ids.get(0));
            for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : layer.paramTable().entrySet()) {
                layer.setParam(e.getKey(), params.param(r, e.getKey(), e.getValue().shape())
                        .castTo(e.getValue().dataType()));
            }
        }
        return built.network();
    }

    private static InputPreProcessor flattenFor(InputPreProcessor pre, String group, Map<String, Integer> sizes) {
        if (pre == null) {
            return null;
        }
        if (pre instanceof org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor p) {
            return new org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor(p.getInputHeight(),
                    p.getInputWidth(), width(group, p.getNumChannels(), sizes), p.getFormat());
        }
        if (pre instanceof org.integral4j.layers.conf.IntegralFlattenPreProcessor) {
            throw new IllegalStateException("the source network has no integral preprocessors");
        }
        return pre.clone();
    }

    private static long width(String group, long full, Map<String, Integer> sizes) {
        return group == null ? full : sizes.getOrDefault(group, (int) full);
    }
}
