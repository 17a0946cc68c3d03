package org.integral4j.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class Grid1DTest {

    @Test
    void uniformIsLinspaceWithExactEnds() {
        Grid1D g = Grid1D.uniform(5);
        assertEquals(5, g.size());
        double[] expected = {-1, -0.5, 0, 0.5, 1};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], g.point(i), 1e-15);
        }
        Grid1D big = Grid1D.uniform(1001);
        assertEquals(-1.0, big.point(0));
        assertEquals(1.0, big.point(1000));
        assertTrue(big.isUniform(1e-9));
    }

    @Test
    void legendreNodesAreRootsOfPn() {
        // P_3 roots: 0, +-sqrt(3/5); P_4 roots: +-sqrt(3/7 -+ 2/7 sqrt(6/5)).
        Grid1D g3 = Grid1D.legendre(3);
        assertEquals(-Math.sqrt(0.6), g3.point(0), 1e-15);
        assertEquals(0.0, g3.point(1), 1e-15);
        assertEquals(Math.sqrt(0.6), g3.point(2), 1e-15);
        Grid1D g4 = Grid1D.legendre(4);
        assertEquals(-Math.sqrt(3.0 / 7 + 2.0 / 7 * Math.sqrt(1.2)), g4.point(0), 1e-15);
        assertEquals(-Math.sqrt(3.0 / 7 - 2.0 / 7 * Math.sqrt(1.2)), g4.point(1), 1e-15);
        assertFalse(g4.isUniform(1e-3));
        double sum = 0;
        for (double w : Legendre.weights(50)) {
            sum += w;
        }
        assertEquals(2.0, sum, 1e-13);
        // Large orders stay strictly increasing and inside (-1, 1).
        Grid1D g = Grid1D.legendre(700);
        assertTrue(g.point(0) > -1 && g.point(699) < 1);
    }

    @Test
    void cellCenteredTilesTheDomain() {
        Grid1D g = Grid1D.cellCentered(4);
        assertEquals(-0.75, g.point(0), 1e-15);
        assertEquals(0.75, g.point(3), 1e-15);
        assertTrue(g.isUniform(1e-12));
    }

    @Test
    void ofCopiesAndReadsINDArrays() {
        double[] pts = {-1, 0.2, 1};
        Grid1D g = Grid1D.of(pts);
        pts[1] = 0.9;
        assertEquals(0.2, g.point(1));
        Grid1D h = Grid1D.of(Nd4j.createFromArray(-1f, 0.2f, 1f));
        assertEquals(3, h.size());
        assertEquals(3, g.toINDArray(DataType.FLOAT).length());
        assertTrue(g.approximatelyEquals(h, 1e-6));
    }

    @Test
    void rejectsBadPointsWithExpectedAndActual() {
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> Grid1D.of(-1, 0.5, 1.25));
        assertTrue(outside.getMessage().contains("[-1, 1]") && outside.getMessage().contains("1.25"),
                outside.getMessage());
        IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
                () -> Grid1D.of(-1, 0.5, 0.2, 1));
        assertTrue(unsorted.getMessage().contains("strictly increasing") && unsorted.getMessage().contains("0.2"),
                unsorted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Grid1D.of(-1, 0, 0, 1));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> Grid1D.uniform(1));
        assertTrue(small.getMessage().contains("at least 2") && small.getMessage().contains("got 1"),
                small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Grid1D.of(0.5));
        assertThrows(IllegalArgumentException.class, () -> Grid1D.of(-1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Grid1D.legendre(0));
        assertThrows(IllegalArgumentException.class, () -> Grid1D.cellCentered(-3));
    }
}
