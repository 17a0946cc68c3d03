package org.integral4j.layers.grid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.integral4j.grid.GridFamily;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.util.Checks;

/**
 * The channel groups of one integral model and their grids: the only mutable grid state. Each
 * model owns one instance (there is no global registry), so two integral networks with different
 * sizes run side by side in one JVM, also on two threads. One instance is not thread-safe: use a
 * model from one thread at a time, as DL4J requires anyway.
 *
 * <p>Groups are kept in insertion order (network order). Layers find their groups by the names
 * in their configuration once {@code IntegralNetworks.bind} has connected them.
 */
public final class ChannelGroups {

    private final Map<String, ChannelGroup> groups = new LinkedHashMap<>();
    private final Random random;
    private long versionCounter;

    /**
     * Creates an empty set of groups.
     *
     * @param seed seed of the random sizes drawn in training
     */
    public ChannelGroups(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Adds a simple group with uniform grids.
     *
     * @param name     unique name
     * @param fullSize number of channels at full size, at least 2
     * @return the group
     */
    public ChannelGroup add(String name, int fullSize) {
        return add(name, fullSize, GridFamily.UNIFORM);
    }

    /**
     * Adds a simple group.
     *
     * @param name     unique name
     * @param fullSize number of channels at full size, at least 2
     * @param family   the points of its grids
     * @return the group
     */
    public ChannelGroup add(String name, int fullSize, GridFamily family) {
        requireNewName(name);
        Checks.requireAtLeast("group '" + name + "'", "full size", fullSize, 2,
                "A continuous channel axis needs at least 2 channels; keep it discrete.");
        ChannelGroup g = new ChannelGroup(this, name, fullSize, Checks.requireNonNull(name, "family", family));
        g.initGrid();
        groups.put(name, g);
        return g;
    }

    /**
     * Adds a group split into equal blocks resized together (the channels of a grouped
     * convolution).
     *
     * @param name     unique name
     * @param fullSize number of channels at full size, a multiple of {@code parts}
     * @param parts    number of blocks, at least 1
     * @return the group
     */
    public PartitionedChannelGroup addPartitioned(String name, int fullSize, int parts) {
        requireNewName(name);
        Checks.requireAtLeast("group '" + name + "'", "parts", parts, 1, "");
        Checks.require(fullSize % parts == 0 && fullSize / parts >= 2, "group '" + name + "'",
                "full size %d must be a multiple of %d parts with at least 2 channels per part.", fullSize, parts);
        PartitionedChannelGroup g = new PartitionedChannelGroup(this, name, fullSize, parts, GridFamily.UNIFORM);
        g.initGrid();
        groups.put(name, g);
        return g;
    }

    /**
     * Adds a composite group: the concatenation of existing groups.
     *
     * @param name  unique name
     * @param parts names of existing groups, in concatenation order
     * @return the group
     */
    public CompositeChannelGroup addComposite(String name, String... parts) {
        requireNewName(name);
        Checks.require(parts != null && parts.length >= 1, "group '" + name + "'", "a composite needs parts.");
        List<ChannelGroup> list = new ArrayList<>();
        for (String p : parts) {
            list.add(get(p));
        }
        CompositeChannelGroup g = new CompositeChannelGroup(this, name, list);
        g.initGrid();
        groups.put(name, g);
        return g;
    }

    private void requireNewName(String name) {
        Checks.require(name != null && !name.isEmpty(), "ChannelGroups", "a group needs a non-empty name.");
        Checks.require(!groups.containsKey(name), "ChannelGroups", "a group named '%s' already exists.", name);
    }

    /**
     * Whether a group exists.
     *
     * @param name the name
     * @return true when present
     */
    public boolean contains(String name) {
        return groups.containsKey(name);
    }

    /**
     * A group by name.
     *
     * @param name the name
     * @return the group
     * @throws IllegalArgumentException listing the known names when absent
     */
    public ChannelGroup get(String name) {
        ChannelGroup g = groups.get(name);
        if (g == null) {
            throw new IllegalArgumentException("Unknown group '" + name + "'. Known groups: " + groups.keySet() + ".");
        }
        return g;
    }

    /**
     * The group names in insertion (network) order.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(groups.keySet()));
    }

    /**
     * All groups in insertion order.
     *
     * @return an unmodifiable list
     */
    public List<ChannelGroup> all() {
        return Collections.unmodifiableList(new ArrayList<>(groups.values()));
    }

    /**
     * Sets the same kind of training distribution on every simple group: sizes between
     * {@code minRatio * fullSize} (at least 2) and the full size.
     *
     * @param minRatio smallest size as a fraction of the full size, in (0, 1]
     * @param normal   true for the half-normal distribution that favours the full size, false for uniform
     */
    public void setDistributions(double minRatio, boolean normal) {
        setDistributions(minRatio, normal, 1);
    }

    /**
     * {@link #setDistributions(double, boolean)} with sizes rounded up to multiples of
     * {@code multiple} ({@link SizeDistribution#quantized}): random-width steps then meet only a
     * few distinct shapes, so oneDNN's primitives are reused and a step costs what its width
     * costs (multiples of 8 are a good choice on CPU; 1 draws every size, like TorchIntegral).
     *
     * @param minRatio smallest size as a fraction of the full size, in (0, 1]
     * @param normal   true for the half-normal distribution that favours the full size, false for uniform
     * @param multiple the step between drawn sizes, at least 1
     */
    public void setDistributions(double minRatio, boolean normal, int multiple) {
        Checks.require(minRatio > 0 && minRatio <= 1, "ChannelGroups", "minRatio must be in (0, 1], got %s.", minRatio);
        Checks.requireAtLeast("ChannelGroups", "multiple", multiple, 1, "Use 1 to draw every size.");
        for (ChannelGroup g : groups.values()) {
            if (!g.isComposite()) {
                int min = Math.max(2, (int) Math.round(minRatio * g.fullSize()));
                SizeDistribution d = normal ? SizeDistribution.normal(min, g.fullSize())
                        : SizeDistribution.uniform(min, g.fullSize());
                g.setDistribution(SizeDistribution.quantized(d, multiple));
            }
        }
    }

    /**
     * Draws new training sizes for every group that has a distribution. Called once per training
     * iteration, before the forward pass.
     */
    public void drawTrainingSizes() {
        for (ChannelGroup g : groups.values()) {
            g.drawTrainingSize(random);
        }
    }

    /** Forgets drawn training sizes: training steps then use the evaluation sizes. */
    public void clearTrainingSizes() {
        for (ChannelGroup g : groups.values()) {
            g.clearTrainingSize();
        }
    }

    /**
     * Resizes every simple group to {@code round(ratio * fullSize)} channels (at least 2). Sizes
     * above the full size are possible per group ({@link ChannelGroup#resize(int)}), not by ratio.
     *
     * @param ratio width ratio in {@code (0, 1]}
     * @throws IllegalArgumentException for a ratio outside {@code (0, 1]}, NaN included
     */
    public void resizeAll(double ratio) {
        Checks.require(ratio > 0 && ratio <= 1, "ChannelGroups",
                "the width ratio must be in (0, 1], got %s; to sample a group above its full size, resize it by size.",
                ratio);
        for (ChannelGroup g : groups.values()) {
            if (!g.isComposite()) {
                g.resize(Math.max(2, (int) Math.round(ratio * g.fullSize())));
            }
        }
    }

    /**
     * The evaluation sizes of the simple groups.
     *
     * @return group name to size, in group order
     */
    public Map<String, Integer> evaluationSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroup g : groups.values()) {
            if (!g.isComposite()) {
                sizes.put(g.name(), g.size());
            }
        }
        return sizes;
    }

    /**
     * Resizes the named groups (evaluation sizes).
     *
     * @param sizes group name to size (not modified)
     */
    public void resizeAll(Map<String, Integer> sizes) {
        sizes.forEach((name, size) -> {
            ChannelGroup g = get(name);
            if (g.size() != size) {
                g.resize(size);
            }
        });
    }

    /**
     * Draws one size for every simple group that has a distribution and is not trainable, without
     * changing any group.
     *
     * @return group name to drawn size
     */
    public Map<String, Integer> drawSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroup g : groups.values()) {
            if (!g.isComposite() && !g.isTrainable() && g.distribution() != null) {
                sizes.put(g.name(), g.validDraw(g.distribution().sample(random)));
            }
        }
        return sizes;
    }

    /**
     * The source of randomness for training sizes.
     *
     * @return the model's random generator
     */
    public Random random() {
        return random;
    }

    long nextVersion() {
        return ++versionCounter;
    }

    @Override
    public String toString() {
        return "ChannelGroups" + groups.values();
    }
}
