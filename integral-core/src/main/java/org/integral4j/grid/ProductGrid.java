package org.integral4j.grid;

import java.util.Arrays;
import org.integral4j.util.Checks;

/**
 * The tensor product of one-dimensional grids: the points
 * {@code (x^0_{i_0}, ..., x^{d-1}_{i_{d-1}})} of a d-dimensional domain {@code [-1, 1]^d},
 * enumerated in row-major order of {@code (i_0, ..., i_{d-1})}. Immutable.
 */
public final class ProductGrid {

    private final Grid1D[] axes;

    private ProductGrid(Grid1D[] axes) {
        this.axes = axes;
    }

    /**
     * The product of the given grids.
     *
     * @param axes one grid per dimension, at least one
     * @return the product grid
     */
    public static ProductGrid of(Grid1D... axes) {
        Checks.requireNonNull("ProductGrid", "axes", axes);
        Checks.requireAtLeast("ProductGrid", "number of dimensions", axes.length, 1, "");
        for (int d = 0; d < axes.length; d++) {
            Checks.requireNonNull("ProductGrid", "grid of dimension " + d, axes[d]);
        }
        return new ProductGrid(axes.clone());
    }

    /**
     * Number of dimensions.
     *
     * @return d
     */
    public int dims() {
        return axes.length;
    }

    /**
     * The grid of one dimension.
     *
     * @param d dimension index
     * @return its grid
     */
    public Grid1D axis(int d) {
        return axes[Checks.requireIndex("ProductGrid", "dimension", d, axes.length)];
    }

    /**
     * Points per dimension.
     *
     * @return the shape
     */
    public long[] shape() {
        long[] shape = new long[axes.length];
        for (int d = 0; d < axes.length; d++) {
            shape[d] = axes[d].size();
        }
        return shape;
    }

    /**
     * Total number of points.
     *
     * @return the product of the sizes
     */
    public long size() {
        long n = 1;
        for (Grid1D g : axes) {
            n *= g.size();
        }
        return n;
    }

    @Override
    public String toString() {
        return "ProductGrid" + Arrays.toString(axes);
    }
}
