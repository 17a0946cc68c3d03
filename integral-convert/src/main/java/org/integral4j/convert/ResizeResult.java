package org.integral4j.convert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a resize did, for the caller to check: the sizes before and after, whether anything
 * changed, and how much of the network a resize can reach at all.
 *
 * @param before          the size of every resizable group before the call, in network order
 * @param after           the size of every resizable group after it
 * @param resizableShare  the fraction of the source network's parameters in layers with at least
 *                        one continuous axis (0 when every group is discrete: then no size changes
 *                        anything)
 */
public record ResizeResult(Map<String, Integer> before, Map<String, Integer> after, double resizableShare) {

    /** Copies the maps. */
    public ResizeResult {
        before = Collections.unmodifiableMap(new LinkedHashMap<>(before));
        after = Collections.unmodifiableMap(new LinkedHashMap<>(after));
    }

    /** @return whether any group changed its size */
    public boolean changed() {
        return !before.equals(after);
    }

    /** @return whether the model has any resizable group */
    public boolean hasResizableGroups() {
        return !after.isEmpty();
    }
}
