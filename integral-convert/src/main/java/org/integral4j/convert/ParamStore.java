package org.integral4j.convert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies of a network's parameters, by node and key in DL4J's layouts, that conversion steps
 * (batch-norm fusion, permutation) rewrite without touching the source network.
 */
final class ParamStore {

    private final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();

    /**
     * Copies every parameter of a network, in the layout each layer reports and computes with
     * ({@link LayerKind#fromStorage}; DL4J's storage for layers no kind describes).
     *
     * @param view     the network's view
     * @param registry the layer kinds
     * @return the store
     */
    static ParamStore copyOf(ModelView view, LayerRegistry registry) {
        ParamStore store = new ParamStore();
        for (ModelNode node : view.nodes()) {
            if (!node.hasParams()) {
                continue;
            }
            LayerKind kind = node.layer().flatMap(registry::kindOf).orElse(LayerKinds.OTHER);
            Map<String, INDArray> params = new LinkedHashMap<>();
            for (String key : node.paramKeys()) {
                params.put(key, kind.fromStorage(key, view.network().layer(node.name()).getParam(key)));
            }
            store.params.put(node.name(), params);
        }
        return store;
    }

    /**
     * The parameters of one node (read them; the map and arrays are the store's).
     *
     * @param node the node name
     * @return key to array, empty when the node has no parameters
     */
    Map<String, INDArray> params(String node) {
        return Collections.unmodifiableMap(params.getOrDefault(node, Map.of()));
    }

    /**
     * A parameter.
     *
     * @param node the node name
     * @param key  the DL4J parameter key
     * @return the array (owned by the store)
     */
    INDArray get(String node, String key) {
        Map<String, INDArray> p = params.get(node);
        Checks.require(p != null && p.containsKey(key), "ParamStore", "no parameter '%s' of node '%s'.", key, node);
        return p.get(key);
    }

    /**
     * Whether a parameter exists.
     *
     * @param node the node name
     * @param key  the key
     * @return true when present
     */
    boolean has(String node, String key) {
        Map<String, INDArray> p = params.get(node);
        return p != null && p.containsKey(key);
    }

    /**
     * Replaces or adds a parameter.
     *
     * @param node  the node name
     * @param key   the key
     * @param value the new array (kept)
     */
    void put(String node, String key, INDArray value) {
        params.computeIfAbsent(node, k -> new LinkedHashMap<>()).put(key, value);
    }
}
