package org.integral4j.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.GridFamily;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.CompositeChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.integral4j.util.Checks;

/**
 * An immutable, {@link Serializable} copy of a model's {@link ChannelGroups}: what a worker needs
 * to rebuild the grid state of its own copy of the network. DL4J ships a network to a Spark
 * executor or a {@code ParallelWrapper} replica as its configuration and parameter vector; the
 * groups (not network parameters, and not serialisable) travel as this snapshot and are restored
 * there with {@link #restore(long)}, each worker with its own random generator.
 *
 * <p>Captured per group: name, kind (simple, partitioned into blocks, concatenation of other
 * groups), full size, grid family, evaluation size, the training-size distribution (uniform or
 * half-normal; other distributions are rejected) and, when trainable, the endpoint mode and the
 * current points. Drawn training sizes and accumulated grid gradients are transient and not
 * captured.
 */
public final class ChannelGroupsSnapshot implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What kind of group an entry describes. */
    public enum Kind {
        /** A group with its own grid. */
        SIMPLE,
        /** A group split into equal blocks resized together (grouped convolutions). */
        PARTITIONED,
        /** The concatenation of other groups. */
        COMPOSITE
    }

    /** A training-size distribution as data. */
    public enum DistributionKind {
        /** {@link SizeDistribution#uniform(int, int)}. */
        UNIFORM,
        /** {@link SizeDistribution#normal(int, int)}. */
        HALF_NORMAL
    }

    /**
     * One group.
     *
     * @param name             the group name
     * @param kind             simple, partitioned or composite
     * @param fullSize         channels at full size
     * @param parts            blocks of a partitioned group (1 otherwise)
     * @param compositeParts   names of the parts of a composite group, in order (empty otherwise)
     * @param family           grid family (null for a composite)
     * @param size             evaluation size (0 for a composite: it follows its parts)
     * @param distribution     training-size distribution kind, or null
     * @param distributionMin  smallest drawn size (0 without a distribution)
     * @param distributionMax  largest drawn size (0 without a distribution)
     * @param trainableEnds    endpoint mode of trainable points, or null when not trainable
     * @param trainablePoints  current trainable points, or null
     */
    public record GroupEntry(String name, Kind kind, int fullSize, int parts, List<String> compositeParts,
                             GridFamily family, int size, DistributionKind distribution, int distributionMin,
                             int distributionMax, TrainableGrid.Endpoints trainableEnds, double[] trainablePoints)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        /**
         * Copies the mutable inputs.
         *
         * @param name            the group name
         * @param kind            simple, partitioned or composite
         * @param fullSize        channels at full size
         * @param parts           blocks of a partitioned group
         * @param compositeParts  names of the parts of a composite
         * @param family          grid family
         * @param size            evaluation size
         * @param distribution    distribution kind or null
         * @param distributionMin smallest drawn size
         * @param distributionMax largest drawn size
         * @param trainableEnds   endpoint mode or null
         * @param trainablePoints trainable points or null
         */
        public GroupEntry {
            compositeParts = List.copyOf(compositeParts);
            trainablePoints = trainablePoints == null ? null : trainablePoints.clone();
        }

        @Override
        public double[] trainablePoints() {
            return trainablePoints == null ? null : trainablePoints.clone();
        }
    }

    private final List<GroupEntry> entries;

    private ChannelGroupsSnapshot(List<GroupEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Captures the current state of a set of groups.
     *
     * @param groups the groups (not modified)
     * @return the snapshot
     * @throws IllegalArgumentException for a size distribution other than uniform or half-normal
     */
    public static ChannelGroupsSnapshot of(ChannelGroups groups) {
        Checks.requireNonNull("ChannelGroupsSnapshot.of", "groups", groups);
        List<GroupEntry> list = new ArrayList<>();
        for (ChannelGroup g : groups.all()) {
            if (g instanceof CompositeChannelGroup c) {
                List<String> parts = new ArrayList<>();
                c.parts().forEach(p -> parts.add(p.name()));
                list.add(new GroupEntry(g.name(), Kind.COMPOSITE, g.fullSize(), 1, parts, null, 0, null, 0, 0, null,
                        null));
                continue;
            }
            SizeDistribution d = g.distribution();
            DistributionKind dk = null;
            if (d instanceof SizeDistribution.Uniform) {
                dk = DistributionKind.UNIFORM;
            } else if (d instanceof SizeDistribution.HalfNormal) {
                dk = DistributionKind.HALF_NORMAL;
            } else if (d != null) {
                throw new IllegalArgumentException("group '" + g.name() + "': the size distribution " + d
                        + " cannot be sent to workers; use SizeDistribution.uniform or SizeDistribution.normal "
                        + "(ChannelGroups.setDistributions sets them for every group).");
            }
            boolean partitioned = g instanceof PartitionedChannelGroup;
            list.add(new GroupEntry(g.name(), partitioned ? Kind.PARTITIONED : Kind.SIMPLE, g.fullSize(),
                    partitioned ? ((PartitionedChannelGroup) g).parts() : 1, List.of(), g.family(), g.size(), dk,
                    d == null ? 0 : d.min(), d == null ? 0 : d.max(),
                    g.isTrainable() ? g.trainableGrid().endpoints() : null,
                    g.isTrainable() ? g.trainableGrid().current().points() : null));
        }
        return new ChannelGroupsSnapshot(list);
    }

    /**
     * Builds a new, independent set of groups in the captured state.
     *
     * @param seed seed of the new groups' random generator (training-size draws)
     * @return the groups, in the original order, ready for {@code IntegralNetworks.bind}
     */
    public ChannelGroups restore(long seed) {
        ChannelGroups groups = new ChannelGroups(seed);
        for (GroupEntry e : entries) {
            if (e.kind() == Kind.COMPOSITE) {
                // a concatenation was created after its parts, so they exist already
                groups.addComposite(e.name(), e.compositeParts().toArray(new String[0]));
                continue;
            }
            ChannelGroup g = e.kind() == Kind.PARTITIONED ? groups.addPartitioned(e.name(), e.fullSize(), e.parts())
                    : groups.add(e.name(), e.fullSize(), e.family());
            if (g.size() != e.size()) {
                g.resize(e.size());
            }
            if (e.distribution() != null) {
                g.setDistribution(e.distribution() == DistributionKind.UNIFORM
                        ? SizeDistribution.uniform(e.distributionMin(), e.distributionMax())
                        : SizeDistribution.normal(e.distributionMin(), e.distributionMax()));
            }
            if (e.trainableEnds() != null) {
                g.makeTrainable(e.trainableEnds());
                g.trainableGrid().setInPlace(Grid1D.of(e.trainablePoints()).points());
            }
        }
        return groups;
    }

    /**
     * The groups in network order.
     *
     * @return the entries
     */
    public List<GroupEntry> entries() {
        return entries;
    }

    /**
     * Whether any group has trainable grid points (grid tuning).
     *
     * @return true when at least one group is trainable
     */
    public boolean hasTrainableGrids() {
        return entries.stream().anyMatch(e -> e.trainableEnds() != null);
    }

    /**
     * Whether any group draws random training sizes.
     *
     * @return true when at least one group has a distribution
     */
    public boolean hasDistributions() {
        return entries.stream().anyMatch(e -> e.distribution() != null);
    }

    /**
     * The evaluation size of every resizable (non-composite) group.
     *
     * @return group name to size, in network order
     */
    public Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (GroupEntry e : entries) {
            if (e.kind() != Kind.COMPOSITE) {
                sizes.put(e.name(), e.size());
            }
        }
        return Collections.unmodifiableMap(sizes);
    }

    @Override
    public String toString() {
        return "ChannelGroupsSnapshot" + entries.stream().map(e -> e.name() + "(" + e.kind() + ", " + e.size() + "/"
                + e.fullSize() + (e.distribution() == null ? "" : ", " + e.distribution() + "[" + e.distributionMin()
                + ", " + e.distributionMax() + "]") + ")").toList();
    }
}
