package org.integral4j.layers.grid;

import java.util.Arrays;
import org.integral4j.grid.CompositeGrid;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.GridFamily;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.util.Checks;

/**
 * A channel group split into {@code parts} equal blocks that are resized together: the channels of
 * a grouped convolution with {@code parts} groups. Its grid is the composite of {@code parts}
 * copies of the part grid, so block {@code k} always samples the region of the consumers' weight
 * functions that belonged to convolution group {@code k}; the grouped convolution samples each of
 * its blocks on the part grid. Sizes are multiples of {@code parts}.
 */
public final class PartitionedChannelGroup extends ChannelGroup {

    private final int parts;
    private final CompositeGrid layout;

    PartitionedChannelGroup(ChannelGroups owner, String name, int fullSize, int parts, GridFamily family) {
        super(owner, name, fullSize, family);
        this.parts = parts;
        int[] full = new int[parts];
        Arrays.fill(full, fullSize / parts);
        this.layout = CompositeGrid.of(full);
    }

    /**
     * Number of equal blocks.
     *
     * @return the part count
     */
    public int parts() {
        return parts;
    }

    /**
     * The grid of one block in the given mode.
     *
     * @param training the mode
     * @return the part grid, of size {@code size(training) / parts}
     */
    public Grid1D partGrid(boolean training) {
        return family().create(size(training) / parts);
    }

    @Override
    Grid1D gridOfSize(int n) {
        Grid1D part = family().create(n / parts);
        Grid1D[] all = new Grid1D[parts];
        Arrays.fill(all, part);
        return layout.compose(all);
    }

    @Override
    void checkSize(int size) {
        Checks.require(size % parts == 0 && size / parts >= Grid1D.MIN_SIZE, "group '" + name() + "'",
                "size must be a multiple of its %d convolution groups with at least %d channels per group, got %d.",
                parts, Grid1D.MIN_SIZE, size);
    }

    @Override
    int validDraw(int drawn) {
        return Math.max(Grid1D.MIN_SIZE, drawn / parts) * parts;
    }

    @Override
    public void makeTrainable(TrainableGrid.Endpoints endpoints) {
        throw new IllegalArgumentException("group '" + name() + "' is split into " + parts
                + " convolution groups; its grid points cannot be trained independently.");
    }

    @Override
    public String toString() {
        return "PartitionedChannelGroup[" + name() + ", " + parts + " parts, size " + size() + "/" + fullSize() + "]";
    }
}
