package org.integral4j.convert.network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Dl4jConfiguration#rebuild}: the new, initialised network and where each
 * source layer went.
 *
 * @param network  the new network
 * @param layersOf source layer node name to the node names, in the new network, of the layers
 *                 that represent it (empty for a removed layer)
 */
public record RebuiltNetwork(Dl4jNetwork network, Map<String, List<String>> layersOf) {

    /** Copies the map. */
    public RebuiltNetwork {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        layersOf.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        layersOf = Collections.unmodifiableMap(copy);
    }
}
