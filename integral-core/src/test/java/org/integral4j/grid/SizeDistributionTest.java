package org.integral4j.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SizeDistributionTest {

    @Test
    void uniformCoversTheRangeEvenly() {
        SizeDistribution d = SizeDistribution.uniform(4, 8);
        int[] counts = new int[9];
        Random rng = new Random(1);
        for (int i = 0; i < 50_000; i++) {
            counts[d.sample(rng)]++;
        }
        for (int s = 4; s <= 8; s++) {
            assertEquals(10_000, counts[s], 500, "size " + s);
        }
        assertEquals(0, counts[3]);
    }

    @Test
    void normalFavoursTheMaximumAndStaysInRange() {
        SizeDistribution d = SizeDistribution.normal(16, 64);
        Random rng = new Random(7);
        double mean = 0;
        int atMax = 0;
        for (int i = 0; i < 20_000; i++) {
            int s = d.sample(rng);
            assertTrue(s >= 16 && s <= 64, "size " + s);
            mean += s / 20_000.0;
            atMax += s == 64 ? 1 : 0;
        }
        // Half-normal with sigma 24 from the top: mean near 64 - 24 sqrt(2/pi) ~ 45; draws below 16
        // are redrawn uniformly.
        assertTrue(mean > 42 && mean < 50, "mean " + mean);
        assertTrue(atMax > 400, "draws at the maximum: " + atMax);
    }

    @Test
    void seededSequencesRepeat() {
        SizeDistribution d = SizeDistribution.normal(2, 100);
        Random a = new Random(42);
        Random b = new Random(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(d.sample(a), d.sample(b));
        }
        assertEquals(5, SizeDistribution.fixed(5).sample(new Random()));
    }

    @Test
    void rejectsBadRanges() {
        assertThrows(IllegalArgumentException.class, () -> SizeDistribution.uniform(1, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SizeDistribution.normal(8, 4));
        assertTrue(e.getMessage().contains("at least min (8), got 4"), e.getMessage());
    }

    @Test
    void randomSizeGridDrawsFromTheDistribution() {
        RandomSizeGrid g = RandomSizeGrid.linspace(SizeDistribution.uniform(3, 6));
        Random rng = new Random(3);
        for (int i = 0; i < 100; i++) {
            Grid1D grid = g.sample(rng);
            assertTrue(grid.size() >= 3 && grid.size() <= 6);
            assertEquals(-1.0, grid.point(0));
            assertEquals(1.0, grid.point(grid.size() - 1));
        }
        assertEquals(Grid1D.uniform(6), g.evaluation(6));
        RandomSizeGrid legendre = new RandomSizeGrid(SizeDistribution.fixed(4), GridFamily.LEGENDRE);
        assertEquals(Grid1D.legendre(4), legendre.sample(rng));
        assertEquals(Grid1D.cellCentered(3), GridFamily.CELL_CENTERED.create(3));
    }

    @Test
    void quantizedDrawsMultiplesAndKeepsTheMaximumReachable() {
        SizeDistribution d = SizeDistribution.quantized(SizeDistribution.uniform(32, 64), 8);
        assertEquals(32, d.min());
        assertEquals(64, d.max());
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        Random rng = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            int s = d.sample(rng);
            assertTrue(s >= 32 && s <= 64 && s % 8 == 0, "size " + s);
            seen.add(s);
        }
        assertEquals(java.util.Set.of(32, 40, 48, 56, 64), seen);
        // A maximum that is not a multiple stays reachable; the minimum rounds up.
        SizeDistribution odd = SizeDistribution.quantized(SizeDistribution.normal(5, 21), 8);
        assertEquals(8, odd.min());
        assertEquals(21, odd.max());
        java.util.Set<Integer> oddSeen = new java.util.TreeSet<>();
        for (int i = 0; i < 5_000; i++) {
            oddSeen.add(odd.sample(rng));
        }
        assertEquals(java.util.Set.of(8, 16, 21), oddSeen);
        SizeDistribution same = SizeDistribution.uniform(4, 8);
        assertTrue(SizeDistribution.quantized(same, 1) == same, "multiple 1 is the base itself");
        assertThrows(IllegalArgumentException.class, () -> SizeDistribution.quantized(same, 0));
        assertTrue(d.toString().contains("multiples of 8"), d.toString());
    }
}
