package org.integral4j.grid;

import org.integral4j.util.Checks;

/**
 * A grid made of sub-grids laid side by side: the channel axis of a concatenation
 * ({@code MergeVertex}), where each part comes from a different producer and is resized on its
 * own.
 *
 * <p>The layout is fixed by the parts' full sizes {@code n_0..n_{k-1}} (total {@code N}): part
 * {@code j} owns the interval {@code [a_j, b_j]} with {@code a_j = -1 + 2 s_j / (N - 1)},
 * {@code b_j = -1 + 2 (s_j + n_j - 1) / (N - 1)} and {@code s_j = n_0 + ... + n_{j-1}}. At full
 * size with uniform parts the composite is exactly {@code linspace(-1, 1, N)}, and part
 * {@code j}'s points are the knots of the consumer's weight function that belong to producer
 * {@code j}.
 *
 * <p>A resized part keeps its interval: it samples the same region of the consumer's weight
 * function with fewer points, the composite still starts at -1 and ends at 1, and a quadrature
 * on it still integrates over {@code [-1, 1]}. (TorchIntegral's {@code CompositeGrid1D} keeps
 * the parts' proportions from construction but recomputes the gap between parts from the current
 * total size, so after a resize its points no longer end at 1 and the parts drift into their
 * neighbours' regions.)
 */
public final class CompositeGrid {

    private final int[] fullSizes;
    private final int[] fullOffsets;
    private final double[] starts;
    private final double[] ends;

    private CompositeGrid(int[] fullSizes) {
        this.fullSizes = fullSizes;
        int k = fullSizes.length;
        fullOffsets = new int[k];
        starts = new double[k];
        ends = new double[k];
        int total = 0;
        for (int size : fullSizes) {
            total += size;
        }
        int offset = 0;
        for (int j = 0; j < k; j++) {
            fullOffsets[j] = offset;
            starts[j] = -1.0 + 2.0 * offset / (total - 1);
            ends[j] = -1.0 + 2.0 * (offset + fullSizes[j] - 1) / (total - 1);
            offset += fullSizes[j];
        }
        ends[k - 1] = 1.0;
    }

    /**
     * The layout for parts of the given full sizes.
     *
     * @param fullSizes full size of every part, each at least {@link Grid1D#MIN_SIZE}
     * @return the layout
     */
    public static CompositeGrid of(int... fullSizes) {
        Checks.requireNonNull("CompositeGrid", "fullSizes", fullSizes);
        Checks.requireAtLeast("CompositeGrid", "number of parts", fullSizes.length, 1, "");
        for (int j = 0; j < fullSizes.length; j++) {
            Checks.requireAtLeast("CompositeGrid", "full size of part " + j, fullSizes[j], Grid1D.MIN_SIZE,
                    "A concatenated part with a single channel cannot be resampled; keep that axis discrete.");
        }
        return new CompositeGrid(fullSizes.clone());
    }

    /**
     * Number of parts.
     *
     * @return the count
     */
    public int parts() {
        return fullSizes.length;
    }

    /**
     * Full size of a part.
     *
     * @param part part index
     * @return its size at construction
     */
    public int fullSize(int part) {
        return fullSizes[part];
    }

    /**
     * Sum of the full sizes.
     *
     * @return the composite's full size
     */
    public int fullTotal() {
        return fullOffsets[fullOffsets.length - 1] + fullSizes[fullSizes.length - 1];
    }

    /**
     * Offset of a part in the full composite.
     *
     * @param part part index
     * @return the sum of the full sizes of the parts before it
     */
    public int fullOffset(int part) {
        return fullOffsets[part];
    }

    /**
     * Left end of a part's interval.
     *
     * @param part part index
     * @return {@code a_j}
     */
    public double start(int part) {
        return starts[part];
    }

    /**
     * Right end of a part's interval.
     *
     * @param part part index
     * @return {@code b_j}
     */
    public double end(int part) {
        return ends[part];
    }

    /**
     * The derivative of a composite point with respect to its sub-grid point,
     * {@code (b_j - a_j) / 2}; the chain rule for trainable sub-grids.
     *
     * @param part part index
     * @return the scale of the affine map of part {@code j}
     */
    public double scale(int part) {
        return 0.5 * (ends[part] - starts[part]);
    }

    /**
     * Maps each part's grid (on {@code [-1, 1]}) affinely onto its interval and concatenates.
     *
     * @param partGrids one grid per part, any sizes
     * @return the composite grid, of size {@code sum(partGrids[j].size())}
     */
    public Grid1D compose(Grid1D... partGrids) {
        Checks.requireNonNull("CompositeGrid.compose", "partGrids", partGrids);
        Checks.require(partGrids.length == fullSizes.length, "CompositeGrid.compose",
                "expected one grid per part (%d), got %d.", fullSizes.length, partGrids.length);
        int total = 0;
        for (Grid1D g : partGrids) {
            total += Checks.requireNonNull("CompositeGrid.compose", "part grid", g).size();
        }
        double[] x = new double[total];
        int k = 0;
        for (int j = 0; j < partGrids.length; j++) {
            for (int i = 0; i < partGrids[j].size(); i++) {
                x[k++] = starts[j] + (partGrids[j].point(i) + 1.0) * scale(j);
            }
        }
        return Grid1D.of(x);
    }

    /**
     * Where each part starts in a composite of the given parts.
     *
     * @param partSizes current size of every part
     * @return offsets, one per part
     */
    public int[] offsets(int... partSizes) {
        Checks.require(partSizes.length == fullSizes.length, "CompositeGrid.offsets",
                "expected one size per part (%d), got %d.", fullSizes.length, partSizes.length);
        int[] offsets = new int[partSizes.length];
        for (int j = 1; j < partSizes.length; j++) {
            offsets[j] = offsets[j - 1] + partSizes[j - 1];
        }
        return offsets;
    }

    @Override
    public String toString() {
        return "CompositeGrid" + java.util.Arrays.toString(fullSizes);
    }
}
