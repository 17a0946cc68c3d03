package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies of a network's parameters, by node and key in DL4J's layouts, that conversion steps
 * (batch-norm fusion, permutation) rewrite without touching the source network.
 */
final class ParamStore {

    private final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();

    /**
     * Copies every parameter of a network.
     *
     * @param view the network's view
     * @return the store
     */
    static ParamStore copyOf(ModelView view) {
        ParamStore store = new ParamStore();
        for (ModelNode node : view.nodes()) {
            if (node.hasParams()) {
                store.params.put(node.name(), new LinkedHashMap<>(view.params(node.name())));
            }
        }
        return store;
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
