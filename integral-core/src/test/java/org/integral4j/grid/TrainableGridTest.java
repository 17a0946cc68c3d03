package org.integral4j.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainableGridTest {

    @Test
    void pinnedEndsStayAndInteriorMoves() {
        TrainableGrid g = TrainableGrid.from(Grid1D.uniform(5), TrainableGrid.Endpoints.PINNED);
        g.addInPlace(new double[] {0.3, 0.1, 0, 0, -0.2});
        Grid1D c = g.current();
        assertEquals(-1.0, c.point(0));
        assertEquals(-0.4, c.point(1), 1e-15);
        assertEquals(1.0, c.point(4));
        assertArrayEquals(new double[] {0, 2, 3, 4, 0}, g.maskGradientInPlace(new double[] {1, 2, 3, 4, 5}));
    }

    @Test
    void freeEndsAreClampedToTheDomain() {
        TrainableGrid g = TrainableGrid.from(Grid1D.uniform(3), TrainableGrid.Endpoints.FREE);
        g.addInPlace(new double[] {0.25, 0, 5});
        Grid1D c = g.current();
        assertEquals(-0.75, c.point(0), 1e-15);
        assertEquals(1.0, c.point(2));
        assertArrayEquals(new double[] {1, 2, 3}, g.maskGradientInPlace(new double[] {1, 2, 3}));
    }

    @Test
    void crossingPointsAreSortedAndKeptApart() {
        TrainableGrid g = TrainableGrid.from(Grid1D.uniform(4), TrainableGrid.Endpoints.PINNED, 0.01);
        // Point 1 jumps past point 2, point 2 collapses onto point 1's old place.
        g.setInPlace(new double[] {-1, 0.5, 0.5, 1});
        Grid1D c = g.current();
        double minGap = 0.01 * 2 / 3;
        for (int i = 1; i < 4; i++) {
            assertTrue(c.point(i) - c.point(i - 1) >= minGap - 1e-15, c.toString());
        }
        assertEquals(1.0, c.point(3));
    }

    @Test
    void rejectsWrongLengthsAndNaN() {
        TrainableGrid g = TrainableGrid.from(Grid1D.uniform(4), TrainableGrid.Endpoints.PINNED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.addInPlace(new double[3]));
        assertTrue(e.getMessage().contains("expected 4, got 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.addInPlace(new double[] {0, Double.NaN, 0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> TrainableGrid.from(Grid1D.uniform(4), TrainableGrid.Endpoints.FREE, 1.5));
    }
}
