package org.integral4j.layers.grid;

import java.util.Random;
import org.integral4j.grid.Grid1D;
import org.integral4j.grid.GridFamily;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.util.Checks;

/**
 * One channel group of an integral model: the channels that share one grid (the output axis of a
 * layer and the input axis of every consumer, tied batch norms, residual partners). Its state is
 * the evaluation size (set by {@link #resize(int)}), an optional distribution of training sizes
 * drawn once per training step, and optionally trainable grid points.
 *
 * <p>Mutable and not thread-safe: it belongs to one {@link ChannelGroups}, i.e. one model.
 */
public class ChannelGroup {

    private final String name;
    private final int fullSize;
    private final GridFamily family;
    final ChannelGroups owner;
    private int evalSize;
    private Grid1D evalGrid;
    private SizeDistribution distribution;
    private Grid1D trainingGrid;
    private TrainableGrid trainable;
    private double[] gridGradient;
    private long version;

    ChannelGroup(ChannelGroups owner, String name, int fullSize, GridFamily family) {
        this.owner = owner;
        this.name = name;
        this.fullSize = fullSize;
        this.family = family;
        this.evalSize = fullSize;
        this.evalGrid = null;
    }

    /** Sets the full-size grid; called once the subclass is ready to build grids. */
    void initGrid() {
        this.evalGrid = gridOfSize(fullSize);
    }

    /**
     * The grid of this group when it has {@code n} channels.
     *
     * @param n number of channels (already validated)
     * @return the grid
     */
    Grid1D gridOfSize(int n) {
        return family.create(n);
    }

    /**
     * Validates a requested size.
     *
     * @param size the requested number of channels
     */
    void checkSize(int size) {
        Checks.requireAtLeast("group '" + name + "'", "size", size, Grid1D.MIN_SIZE,
                "A group needs at least 2 channels to stay a function; full size is " + fullSize + ".");
    }

    /**
     * Turns a drawn size into a valid one.
     *
     * @param drawn the draw
     * @return the size used
     */
    int validDraw(int drawn) {
        return drawn;
    }

    /**
     * The family of points of this group's grids.
     *
     * @return the family
     */
    public GridFamily family() {
        return family;
    }

    /**
     * The group's name (unique in its model).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Number of channels of the original (full) network.
     *
     * @return the full size
     */
    public int fullSize() {
        return fullSize;
    }

    /**
     * Whether this group is made of parts (a concatenation).
     *
     * @return false for a simple group
     */
    public boolean isComposite() {
        return false;
    }

    /**
     * The current number of channels in evaluation.
     *
     * @return the evaluation size
     */
    public int size() {
        return evalSize;
    }

    /**
     * The current number of channels in the given mode.
     *
     * @param training true for the size drawn for this training step
     * @return the size
     */
    public int size(boolean training) {
        return grid(training).size();
    }

    /**
     * The grid in evaluation.
     *
     * @return the evaluation grid
     */
    public Grid1D grid() {
        return grid(false);
    }

    /**
     * The grid a layer samples in the given mode: the drawn training grid during training (when
     * a distribution is set and a size was drawn), else the evaluation grid (or the trainable
     * grid's current points).
     *
     * @param training whether the layer runs in training mode
     * @return the grid
     */
    public Grid1D grid(boolean training) {
        if (trainable != null) {
            return trainable.current();
        }
        if (training && trainingGrid != null) {
            return trainingGrid;
        }
        return evalGrid;
    }

    /**
     * Sets the evaluation size; the grid becomes the member of the group's family of that size.
     * A trainable group restarts from that grid.
     *
     * @param size number of channels, at least {@link Grid1D#MIN_SIZE}
     */
    public void resize(int size) {
        checkSize(size);
        evalSize = size;
        evalGrid = gridOfSize(size);
        if (trainable != null) {
            trainable = TrainableGrid.from(evalGrid, trainable.endpoints());
            gridGradient = null;
        }
        touch();
    }

    /**
     * Sets the distribution of training sizes (random-partition training); null switches it off.
     *
     * @param distribution the distribution, or null
     */
    public void setDistribution(SizeDistribution distribution) {
        this.distribution = distribution;
        this.trainingGrid = null;
        touch();
    }

    /**
     * The distribution of training sizes.
     *
     * @return the distribution, or null
     */
    public SizeDistribution distribution() {
        return distribution;
    }

    /**
     * Draws a training size (no-op without a distribution).
     *
     * @param rng the source of randomness (advances)
     */
    void drawTrainingSize(Random rng) {
        if (distribution != null) {
            trainingGrid = gridOfSize(validDraw(distribution.sample(rng)));
            touch();
        }
    }

    /** Forgets the drawn training size. */
    void clearTrainingSize() {
        if (trainingGrid != null) {
            trainingGrid = null;
            touch();
        }
    }

    /**
     * Makes the grid points trainable, starting at the current evaluation grid.
     *
     * @param endpoints how the ends are treated
     */
    public void makeTrainable(TrainableGrid.Endpoints endpoints) {
        Checks.require(!isComposite(), "group '" + name + "'",
                "a composite group's points are trained through its parts; make the parts trainable.");
        trainable = TrainableGrid.from(evalGrid, endpoints);
        gridGradient = null;
        touch();
    }

    /**
     * Whether the grid points are trainable.
     *
     * @return true when trainable
     */
    public boolean isTrainable() {
        return trainable != null;
    }

    /**
     * The trainable grid.
     *
     * @return the trainable grid, or null
     */
    public TrainableGrid trainableGrid() {
        return trainable;
    }

    /**
     * Adds a layer's {@code dL/dx} for the current grid points. Layers call this in their backward
     * pass; a grid optimiser consumes the sum with {@link #takeGridGradient()}.
     *
     * @param gradient one derivative per current point (not modified)
     */
    public void accumulateGridGradient(double[] gradient) {
        if (trainable == null) {
            return;
        }
        Checks.require(gradient.length == trainable.size(), "group '" + name + "'",
                "grid gradient has %d values, the grid has %d points.", gradient.length, trainable.size());
        if (gridGradient == null) {
            gridGradient = new double[gradient.length];
        }
        for (int i = 0; i < gradient.length; i++) {
            gridGradient[i] += gradient[i];
        }
    }

    /**
     * Returns and clears the accumulated grid gradient.
     *
     * @return the sum of the layers' gradients, or null when none was accumulated
     */
    public double[] takeGridGradient() {
        double[] g = gridGradient;
        gridGradient = null;
        return g;
    }

    /**
     * Moves the trainable points by {@code delta} and projects them to a valid grid.
     *
     * @param delta one change per point (not modified)
     */
    public void stepGridInPlace(double[] delta) {
        Checks.require(trainable != null, "group '" + name + "'", "the grid is not trainable.");
        trainable.addInPlace(delta);
        touch();
    }

    /**
     * A counter that changes whenever the group's grid may have changed; layers compare it to
     * decide whether cached sampled weights are still valid.
     *
     * @return the version
     */
    public long version() {
        return version;
    }

    void touch() {
        version = owner.nextVersion();
    }

    @Override
    public String toString() {
        return "ChannelGroup[" + name + ", size " + evalSize + "/" + fullSize
                + (distribution == null ? "" : ", training " + distribution)
                + (trainable == null ? "" : ", trainable") + "]";
    }
}
