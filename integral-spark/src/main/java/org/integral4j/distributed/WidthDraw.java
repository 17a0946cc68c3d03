package org.integral4j.distributed;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training sizes one worker drew for one training step: a record of what random-width
 * training actually did on a cluster or on the replicas of a {@code ParallelWrapper}.
 *
 * @param worker which worker (a Spark task: stage, partition and attempt; a replica: its index)
 * @param step   the step's index on that worker, from 0
 * @param sizes  group name to the channel count used in that step, in network order
 */
public record WidthDraw(String worker, int step, Map<String, Integer> sizes) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Copies the sizes.
     *
     * @param worker the worker
     * @param step   the step index
     * @param sizes  the sizes (copied)
     */
    public WidthDraw {
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
    }
}
