package org.integral4j.convert;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.runtime.IntegralLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the knot tensors λ are set, and where exported parameters come from. Wrapping: each
 * integral parameter gets its kind's full-size discrete value ({@link LayerKind#integralValue}:
 * the canonical {@code (out, in, ...)} weight, the bias, the batch-norm vectors) and, for a weight
 * function, λ = its right inverse ({@code WeightFunction.rightInverse}), so the integral network at
 * full size computes what the folded, permuted source computes. Exporting: a {@link Source} gives
 * each parameter of an exported layer in the layout the layer reports; the exporter writes it in
 * DL4J's storage order ({@link LayerKind#toStorage}).
 */
final class ParamTransfer {

    /** Where an exported layer's parameters come from, in the layout the layer reports. */
    interface Source {
        /**
         * One parameter of the exported layer that represents a source node.
         *
         * @param record    the source node's record
         * @param key       the DL4J parameter key
         * @param dl4jShape the shape DL4J expects
         * @return the values in that shape (reported layout)
         */
        INDArray param(NodeRecord record, String key, long[] dl4jShape);
    }

    private ParamTransfer() {
    }

    /**
     * Sets the integral network's parameters from the (folded, permuted) discrete parameters:
     * λ by the right inverse for weight functions, the values themselves for discrete
     * parameters, and the source's values for layers kept as they are.
     *
     * @param network the integral network (modified)
     * @param records how each source node was converted
     * @param store   the discrete parameters in the layouts the layers report
     */
    static void toIntegral(Dl4jNetwork network, List<NodeRecord> records, ParamStore store) {
        for (NodeRecord r : records) {
            if (r.integralLayers().isEmpty()) {
                continue;
            }
            Layer target = network.layer(r.integralLayers().get(0));
            if (!(target instanceof IntegralLayer<?> il)) {
                for (Map.Entry<String, INDArray> e : target.paramTable().entrySet()) {
                    INDArray value = r.kind().toStorage(e.getKey(), store.get(r.name(), e.getKey()));
                    target.setParam(e.getKey(), value.reshape(e.getValue().shape()));
                }
                continue;
            }
            IntegralLayerConf conf = il.layerConf();
            for (ParamSpec p : conf.parameters()) {
                INDArray discrete = r.kind().integralValue(p, store.params(r.name()));
                INDArray value = p.isFunction() ? p.function().rightInverse(discrete) : discrete.reshape(p.shape());
                il.setParam(p.key(), value.castTo(il.getParam(p.key()).dataType()));
            }
        }
    }

    /**
     * Parameters from the store (the folded, permuted discrete network at full size). A
     * convolution that received a folded batch norm and had no bias gets the folded bias.
     *
     * @param store the store
     * @return the source
     */
    static Source fromStore(ParamStore store) {
        return (r, key, shape) -> {
            if (r.receivesBatchNorm() && key.equals("b") && !store.has(r.name(), "b")) {
                return Nd4j.zeros(store.get(r.name(), "W").dataType(), shape);
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
            if (target instanceof IntegralLayer<?> il) {
                return r.kind().exportedValue(key, il, shape);
            }
            return r.kind().fromStorage(key, target.getParam(key)).reshape(shape);
        };
    }

    /** @return zeros of every shape (for counting parameters) */
    static Source zeros() {
        return (r, key, shape) -> Nd4j.zeros(shape);
    }
}
