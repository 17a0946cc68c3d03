package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
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
     * Finds the batch norms that can be folded exactly into the convolution before them.
     *
     * @param view the network
     * @return batch-norm node to the convolution it can be folded into
     */
    static Map<String, String> find(ModelView view) {
        Map<String, String> fused = new LinkedHashMap<>();
        for (ModelNode node : view.nodes()) {
            if (node.layer().isEmpty() || LayerKind.of(node.layer().get()) != LayerKind.BATCH_NORM) {
                continue;
            }
            if (node.inputs().size() != 1 || node.preProcessor().isPresent()) {
                continue;
            }
            String producer = node.inputs().get(0);
            if (!view.contains(producer) || view.node(producer).layer().isEmpty()) {
                continue;
            }
            ModelNode conv = view.node(producer);
            Layer convLayer = conv.layer().get();
            LayerKind kind = LayerKind.of(convLayer);
            if (kind != LayerKind.CONV2D && kind != LayerKind.CONV1D) {
                continue;
            }
            List<String> consumers = view.consumers(producer);
            if (consumers.size() != 1 || !(((BaseLayer) convLayer).getActivationFn() instanceof ActivationIdentity)) {
                continue;
            }
            BatchNormalization bn = (BatchNormalization) node.layer().get();
            if (((ConvolutionLayer) convLayer).getCnn2dDataFormat() != bn.getCnn2DFormat()
                    || view.outputNames().contains(node.name())) {
                continue;
            }
            fused.put(node.name(), conv.name());
            LOG.debug("batch norm '{}' can be folded into convolution '{}'", node.name(), conv.name());
        }
        return fused;
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
