package org.integral4j.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.integral4j.quadrature.Integration;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.junit.jupiter.api.Test;

class CompositeGridTest {

    @Test
    void fullSizeIsTheUniformGridOfTheTotal() {
        CompositeGrid layout = CompositeGrid.of(8, 4, 12);
        Grid1D g = layout.compose(Grid1D.uniform(8), Grid1D.uniform(4), Grid1D.uniform(12));
        assertTrue(g.approximatelyEquals(Grid1D.uniform(24), 1e-15), g.toString());
        assertArrayEquals(new int[] {0, 8, 12}, layout.offsets(8, 4, 12));
        assertEquals(24, layout.fullTotal());
        assertEquals(12, layout.fullOffset(2));
    }

    @Test
    void resizedPartKeepsItsIntervalAndTheCompositeSpansTheDomain() {
        CompositeGrid layout = CompositeGrid.of(8, 4, 12);
        Grid1D g = layout.compose(Grid1D.uniform(3), Grid1D.uniform(4), Grid1D.uniform(5));
        assertEquals(12, g.size());
        assertEquals(-1.0, g.point(0));
        assertEquals(1.0, g.point(11), 1e-15);
        // Part 0 still ends where its eighth knot was, part 2 still starts at its first knot.
        assertEquals(-1.0 + 2.0 * 7 / 23, g.point(2), 1e-15);
        assertEquals(-1.0 + 2.0 * 12 / 23, g.point(7), 1e-15);
        assertArrayEquals(new int[] {0, 3, 7}, layout.offsets(3, 4, 5));
    }

    @Test
    void trapezoidOnAResizedCompositeConvergesToTheIntegral() {
        CompositeGrid layout = CompositeGrid.of(40, 20);
        double exact = 2 * Math.sin(1) + 0.0; // integral of cos over [-1, 1]
        double previous = Double.NaN;
        for (int n : new int[] {5, 9, 17, 33}) {
            Grid1D g = layout.compose(Grid1D.uniform(n), Grid1D.uniform(20));
            double err = Math.abs(Integration.integrate(Math::cos, g, TrapezoidalQuadrature.INSTANCE) - exact);
            if (!Double.isNaN(previous)) {
                assertTrue(err < previous, "error must shrink as the part is refined");
            }
            previous = err;
        }
        assertTrue(previous < 1e-3, "error with 33 + 20 points: " + previous);
        // TorchIntegral's CompositeGrid1D recomputes the gap from the current size; its last
        // point then misses 1 and the trapezoid integrates over a different interval.
        double referenceLast = referenceCompositeLastPoint(new int[] {40, 20}, new int[] {5, 20});
        assertTrue(Math.abs(referenceLast - 1.0) > 0.04, "reference last point " + referenceLast);
    }

    /** TorchIntegral 84c5e89 CompositeGrid1D.generate_grid, for contrast. */
    private static double referenceCompositeLastPoint(int[] fullSizes, int[] sizes) {
        int full = 0;
        for (int s : fullSizes) {
            full += s;
        }
        int current = 0;
        for (int s : sizes) {
            current += s;
        }
        double h = 1.0 / (current - 1);
        double start = 0;
        double last = 0;
        for (int j = 0; j < sizes.length; j++) {
            double proportion = (fullSizes[j] - 1.0) / (full - 1);
            last = start + proportion;
            start += proportion + h;
        }
        return 2 * last - 1;
    }

    @Test
    void rejectsBadLayouts() {
        assertThrows(IllegalArgumentException.class, () -> CompositeGrid.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompositeGrid.of(4, 1));
        assertTrue(e.getMessage().contains("part 1"), e.getMessage());
        CompositeGrid layout = CompositeGrid.of(4, 4);
        assertThrows(IllegalArgumentException.class, () -> layout.compose(Grid1D.uniform(4)));
    }

    @Test
    void productGridShape() {
        ProductGrid p = ProductGrid.of(Grid1D.uniform(3), Grid1D.legendre(4));
        assertEquals(2, p.dims());
        assertArrayEquals(new long[] {3, 4}, p.shape());
        assertEquals(12, p.size());
        assertThrows(IllegalArgumentException.class, () -> p.axis(2));
        assertThrows(IllegalArgumentException.class, ProductGrid::of);
    }
}
