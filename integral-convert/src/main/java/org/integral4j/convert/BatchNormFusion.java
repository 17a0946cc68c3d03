package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.kinds.LayerRegistry;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a batch normalisation into the convolution in front of it where that is exact: the
 * convolution's only consumer is the batch norm, its activation is the identity, and the batch
 * norm works on the convolution's channels (channel axis 1, NCHW, or 3 for NHWC). In inference
 * {@code BN(conv(x)) = conv'(x)} with, per output channel {@code c},
 * {@code s_c = gamma_c / sqrt(var_c + eps)}, {@code W'[c] = s_c W[c]} and
 * {@code b'_c = s_c (b_c - mean_c) + beta_c} (DL4J stores {@code var = (10^log10stdev)^2}; eps is
 * not part of it). Other batch norms become integral batch norms.
 */
final class BatchNormFusion {

    private static final Logger LOG = LoggerFactory.getLogger(BatchNormFusion.class);

    private BatchNormFusion() {
    }

    /**
     * Folds the given pairs: rewrites the convolutions' parameters in the store.
     *
     * @param view  the network
     * @param store the parameters (modified: the convolutions' W and b)
     * @param pairs batch-norm node to convolution node, from {@link #find}
     */
    static void fold(ModelView view, ParamStore store, Map<String, String> pairs) {
        pairs.forEach((bn, conv) -> fold(store, conv, bn, (BatchNormalization) view.node(bn).layer().get()));
    }

    /**
     * Finds the batch norms that can be folded exactly into the layer before them: a batch norm
     * (not frozen, not a network output, without a preprocessor) whose input is a layer whose kind
     * folds batch norms ({@link LayerKind#foldsBatchNorm()}: convolutions), not frozen, with the
     * identity activation, the same data format and no other consumer.
     *
     * @param view     the network
     * @param registry the layer kinds
     * @return batch-norm node to the convolution it can be folded into
     */
    static Map<String, String> find(ModelView view, LayerRegistry registry) {
        Map<String, String> fused = new LinkedHashMap<>();
        for (ModelNode node : view.nodes()) {
            Layer layer = node.layer().orElse(null);
            if (layer == null || registry.kindOf(layer).orElse(null) != LayerKinds.BATCH_NORM
                    || LayerRegistry.isFrozen(layer) || node.inputs().size() != 1 || node.preProcessor().isPresent()
                    || view.outputNames().contains(node.name())) {
                continue;
            }
            ModelNode conv = view.node(node.inputs().get(0));
            if (canReceive(view, registry, conv, (BatchNormalization) layer)) {
                fused.put(node.name(), conv.name());
                LOG.debug("batch norm '{}' can be folded into convolution '{}'", node.name(), conv.name());
            }
        }
        return fused;
    }

    private static boolean canReceive(ModelView view, LayerRegistry registry, ModelNode conv, BatchNormalization bn) {
        Layer layer = conv.layer().orElse(null);
        if (layer == null || LayerRegistry.isFrozen(layer)
                || !registry.kindOf(layer).map(LayerKind::foldsBatchNorm).orElse(false)
                || view.consumers(conv.name()).size() != 1) {
            return false;
        }
        ConvolutionLayer c = (ConvolutionLayer) layer;
        return c.getActivationFn() instanceof ActivationIdentity && c.getCnn2dDataFormat() == bn.getCnn2DFormat();
    }

    private static void fold(ParamStore store, String conv, String bnName, BatchNormalization bn) {
        INDArray w = store.get(conv, "W");
        long out = w.size(0);
        INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {out}, bn.getGamma(), w.dataType())
                : store.get(bnName, "gamma").reshape(out);
        INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {out}, bn.getBeta(), w.dataType())
                : store.get(bnName, "beta").reshape(out);
        INDArray mean = store.get(bnName, "mean").reshape(out);
        INDArray var = bn.isUseLogStd()
                ? Transforms.pow(Nd4j.valueArrayOf(new long[] {out}, 10.0, w.dataType()),
                store.get(bnName, "log10stdev").reshape(out).mul(2), false)
                : store.get(bnName, "var").reshape(out);
        INDArray scale = gamma.div(Transforms.sqrt(var.add(bn.getEps()), false));
        INDArray flat = w.dup('c').reshape('c', out, w.length() / out);
        flat.muliColumnVector(scale.reshape(out, 1).castTo(w.dataType()));
        INDArray b = store.has(conv, "b") ? store.get(conv, "b").reshape(out) : Nd4j.zeros(w.dataType(), out);
        INDArray newB = b.sub(mean).muli(scale).addi(beta);
        store.put(conv, "W", flat.reshape('c', w.shape()));
        store.put(conv, "b", newB);
    }
}
