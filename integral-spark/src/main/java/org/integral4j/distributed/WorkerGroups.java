package org.integral4j.distributed;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;

/**
 * The channel groups of one worker's copy of an integral network: restored from a
 * {@link ChannelGroupsSnapshot} with the worker's own seed, given the training-width distribution,
 * and bound to that copy. A worker calls {@link #drawForNextStep()} before every training step, so
 * each worker trains at its own random widths while the knot tensors λ, whose shapes do not depend
 * on the width, are averaged across workers.
 *
 * <p>Mutable, used by one worker thread.
 */
public final class WorkerGroups {

    private final ChannelGroups groups;
    private final String worker;
    private int step;

    private WorkerGroups(ChannelGroups groups, String worker) {
        this.groups = groups;
        this.worker = worker;
    }

    /**
     * Restores the groups for one worker and binds its network copy to them.
     *
     * @param network  the worker's copy of the network (modified: its integral layers are bound)
     * @param snapshot the driver's groups
     * @param sampling the training-width distribution, or null to keep the snapshot's distributions
     * @param seed     the worker's seed (see {@link #seed(long, long...)})
     * @param worker   a name for the worker, used in {@link WidthDraw}s
     * @return the worker's groups
     */
    public static WorkerGroups bind(Model network, ChannelGroupsSnapshot snapshot, WidthSampling sampling, long seed,
                                    String worker) {
        Checks.requireNonNull("WorkerGroups.bind", "network", network);
        Checks.requireNonNull("WorkerGroups.bind", "snapshot", snapshot);
        ChannelGroups groups = snapshot.restore(seed);
        if (sampling != null) {
            sampling.applyTo(groups);
        }
        IntegralNetworks.bind(network, groups);
        return new WorkerGroups(groups, worker);
    }

    /**
     * Draws the training sizes of the next step (groups without a distribution keep their
     * evaluation size).
     *
     * @return the sizes the next step uses
     */
    public WidthDraw drawForNextStep() {
        groups.drawTrainingSizes();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroup g : groups.all()) {
            if (!g.isComposite()) {
                sizes.put(g.name(), g.size(true));
            }
        }
        return new WidthDraw(worker, step++, sizes);
    }

    /**
     * The worker's groups.
     *
     * @return the groups
     */
    public ChannelGroups groups() {
        return groups;
    }

    /**
     * The worker's name.
     *
     * @return the name
     */
    public String worker() {
        return worker;
    }

    /**
     * Mixes a base seed with worker coordinates (SplitMix64 finaliser per part), so that workers
     * get unrelated random streams that are still reproducible for a given base seed.
     *
     * @param base  the user's seed
     * @param parts worker coordinates (e.g. stage, partition, attempt; or replica index)
     * @return the worker's seed
     */
    public static long seed(long base, long... parts) {
        long h = mix(base);
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
