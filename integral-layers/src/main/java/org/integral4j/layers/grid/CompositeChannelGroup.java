package org.integral4j.layers.grid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.integral4j.grid.CompositeGrid;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.GridFamily;

/**
 * A channel group made of other groups laid side by side: the output of a concatenation. Its
 * grid is {@link CompositeGrid#compose} of the parts' grids, so each part keeps its region of
 * the consumer's weight function when it is resized. It has no size of its own: resize the
 * parts.
 */
public final class CompositeChannelGroup extends ChannelGroup {

    private final List<ChannelGroup> parts;
    private final CompositeGrid layout;

    CompositeChannelGroup(ChannelGroups owner, String name, List<ChannelGroup> parts) {
        super(owner, name, sum(parts), GridFamily.UNIFORM);
        this.parts = Collections.unmodifiableList(new ArrayList<>(parts));
        int[] full = new int[parts.size()];
        for (int i = 0; i < full.length; i++) {
            full[i] = parts.get(i).fullSize();
        }
        this.layout = CompositeGrid.of(full);
    }

    private static int sum(List<ChannelGroup> parts) {
        int s = 0;
        for (ChannelGroup p : parts) {
            s += p.fullSize();
        }
        return s;
    }

    @Override
    public boolean isComposite() {
        return true;
    }

    /**
     * The parts, in concatenation order.
     *
     * @return an unmodifiable list
     */
    public List<ChannelGroup> parts() {
        return parts;
    }

    /**
     * The layout of the parts on {@code [-1, 1]}.
     *
     * @return the layout
     */
    public CompositeGrid layout() {
        return layout;
    }

    @Override
    public int size() {
        int s = 0;
        for (ChannelGroup p : parts) {
            s += p.size();
        }
        return s;
    }

    @Override
    public Grid1D grid(boolean training) {
        Grid1D[] g = new Grid1D[parts.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = parts.get(i).grid(training);
        }
        return layout.compose(g);
    }

    /**
     * Where each part starts in the current composite.
     *
     * @param training the mode
     * @return offsets, one per part
     */
    public int[] offsets(boolean training) {
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = parts.get(i).size(training);
        }
        return layout.offsets(sizes);
    }

    @Override
    public void resize(int size) {
        throw new IllegalArgumentException("group '" + name() + "' is a concatenation of " + partNames()
                + "; resize its parts instead.");
    }

    @Override
    public void accumulateGridGradient(double[] gradient) {
        int[] offsets = offsets(false);
        for (int j = 0; j < parts.size(); j++) {
            ChannelGroup part = parts.get(j);
            if (!part.isTrainable()) {
                continue;
            }
            double[] g = new double[part.size(false)];
            double scale = layout.scale(j);
            for (int i = 0; i < g.length; i++) {
                g[i] = gradient[offsets[j] + i] * scale;
            }
            part.accumulateGridGradient(g);
        }
    }

    @Override
    public boolean isTrainable() {
        for (ChannelGroup p : parts) {
            if (p.isTrainable()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long version() {
        long v = 0;
        for (ChannelGroup p : parts) {
            v = 31 * v + p.version();
        }
        return v;
    }

    private List<String> partNames() {
        List<String> names = new ArrayList<>();
        for (ChannelGroup p : parts) {
            names.add(p.name());
        }
        return names;
    }

    @Override
    public String toString() {
        return "CompositeChannelGroup[" + name() + " = " + partNames() + ", size " + size() + "/" + fullSize() + "]";
    }
}
