package org.integral4j.grid;

/**
 * A family of grids indexed by their size: the shape of the points a random-size or resized
 * grid takes.
 */
public enum GridFamily {
    /** {@link Grid1D#uniform(int)}: {@code linspace(-1, 1, n)}. */
    UNIFORM,
    /** {@link Grid1D#legendre(int)}: Gauss-Legendre nodes. */
    LEGENDRE,
    /** {@link Grid1D#cellCentered(int)}: centres of n equal cells. */
    CELL_CENTERED;

    /**
     * The member of this family with {@code n} points.
     *
     * @param n number of points, at least {@link Grid1D#MIN_SIZE}
     * @return the grid
     */
    public Grid1D create(int n) {
        switch (this) {
            case UNIFORM:
                return Grid1D.uniform(n);
            case LEGENDRE:
                return Grid1D.legendre(n);
            case CELL_CENTERED:
                return Grid1D.cellCentered(n);
            default:
                throw new AssertionError(this);
        }
    }
}
