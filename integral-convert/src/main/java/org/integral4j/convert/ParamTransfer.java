package org.integral4j.convert;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.IntegralDense;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.runtime.IntegralLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Moves parameters between DL4J layouts and integral layers: knot tensors from discrete weights
 * (the right inverse) when wrapping, and DL4J-layout arrays from sampled weights when exporting.
 */
final class ParamTransfer {

    /** Where an exported layer's parameters come from, in DL4J's layouts. */
    interface Source {
        /**
         * One parameter of the exported layer that represents a source node.
         *
         * @param record    the source node's record
         * @param key       the DL4J parameter key
         * @param dl4jShape the shape DL4J expects
         * @return the values in that shape
         */
        INDArray param(NodeRecord record, String key, long[] dl4jShape);
    }

    private ParamTransfer() {
    }

    /**
     * Sets the integral network's parameters from the (folded, permuted) discrete parameters.
     *
     * @param network the integral network (modified)
     * @param records how each source node was converted
     * @param store   the discrete parameters in DL4J's layouts
     */
    static void toIntegral(Dl4jNetwork network, List<NodeRecord> records, ParamStore store) {
        for (NodeRecord r : records) {
            if (r.integralLayers().isEmpty()) {
                continue;
            }
            Layer target = network.layer(r.integralLayers().get(0));
            if (!(target instanceof IntegralLayer<?> il)) {
                for (Map.Entry<String, INDArray> e : target.paramTable().entrySet()) {
                    target.setParam(e.getKey(), store.get(r.name(), e.getKey()).reshape(e.getValue().shape()));
                }
                continue;
            }
            IntegralLayerConf conf = il.layerConf();
            for (ParamSpec p : conf.parameters()) {
                INDArray discrete = discreteValue(r, conf, p, store);
                INDArray value = p.isFunction() ? p.function().rightInverse(discrete) : discrete.reshape(p.shape());
                il.setParam(p.key(), value.castTo(il.getParam(p.key()).dataType()));
            }
        }
    }

    /** The full-size discrete value of an integral parameter, in the weight function's shape. */
    private static INDArray discreteValue(NodeRecord r, IntegralLayerConf conf, ParamSpec p, ParamStore store) {
        long[] full = p.isFunction() ? p.function().weightShape() : p.shape();
        if (r.kind() == LayerKind.BATCH_NORM) {
            return batchNormValue(r, p.key(), full, store);
        }
        if (p.key().equals("W")) {
            return r.kind().canonicalWeight(store.get(r.name(), "W")).reshape('c', full);
        }
        if (store.has(r.name(), "b")) {
            return store.get(r.name(), "b").reshape('c', full);
        }
        return Nd4j.zeros(store.get(r.name(), "W").dataType(), full);
    }

    private static INDArray batchNormValue(NodeRecord r, String key, long[] full, ParamStore store) {
        switch (key) {
            case IntegralBatchNormalization.GAMMA:
            case IntegralBatchNormalization.BETA:
            case IntegralBatchNormalization.MEAN:
                return store.get(r.name(), key).reshape('c', full);
            case IntegralBatchNormalization.LOG10_STD:
                if (store.has(r.name(), "log10stdev")) {
                    return store.get(r.name(), "log10stdev").reshape('c', full);
                }
                // log10(sqrt(var)) = 0.5 log10(var)
                return Transforms.log(store.get(r.name(), "var").reshape('c', full), 10.0, true).muli(0.5);
            default:
                throw new IllegalStateException("unknown batch-norm parameter " + key);
        }
    }

    /**
     * Parameters from the store (the folded, permuted discrete network at full size).
     *
     * @param store the store
     * @return the source
     */
    static Source fromStore(ParamStore store) {
        return (r, key, shape) -> {
            if (r.receivesBatchNorm() && key.equals("b") && !store.has(r.name(), "b")) {
                return Nd4j.zeros(store.get(r.name(), "W").dataType(), shape);
            }
            if (key.equals("W") && r.kind().hasWeight()) {
                return r.kind().dl4jWeight(r.kind().canonicalWeight(store.get(r.name(), "W")), shape);
            }
            return store.get(r.name(), key).reshape(shape);
        };
    }

    /**
     * Parameters sampled from an integral network at its current sizes.
     *
     * @param network the integral network
     * @return the source
     */
    static Source fromIntegral(Dl4jNetwork network) {
        return (r, key, shape) -> {
            Layer target = network.layer(r.integralLayers().get(0));
            if (!(target instanceof IntegralLayer<?> il)) {
                return target.getParam(key).reshape(shape).dup();
            }
            switch (r.kind()) {
                case CONV2D:
                case CONV1D:
                case DEPTHWISE:
                case DENSE:
                case OUTPUT:
                    if (key.equals("W")) {
                        INDArray sampled = il.sampledParameter(IntegralDense.WEIGHT);
                        INDArray canonical = canonicalOf(r.kind(), sampled, shape);
                        return r.kind().dl4jWeight(canonical, shape);
                    }
                    return il.sampledParameter(IntegralDense.BIAS).reshape(shape).dup();
                case BATCH_NORM:
                    if (key.equals("var")) {
                        INDArray log10std = il.sampledParameter(IntegralBatchNormalization.LOG10_STD);
                        return Transforms.pow(Nd4j.valueArrayOf(log10std.shape(), 10.0, log10std.dataType()),
                                log10std.mul(2), false).reshape(shape);
                    }
                    return il.sampledParameter(key).reshape(shape).dup();
                default:
                    throw new IllegalStateException("node '" + r.name() + "' has no integral parameters");
            }
        };
    }

    /** The sampled weight in the canonical layout that {@link LayerKind#dl4jWeight} expects. */
    private static INDArray canonicalOf(LayerKind kind, INDArray sampled, long[] dl4jShape) {
        switch (kind) {
            case DENSE:
            case OUTPUT:
                return sampled.reshape('c', dl4jShape[1], dl4jShape[0]);
            default:
                return sampled;
        }
    }
}
