package org.integral4j.layers.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Random-partition sizes in multiples ({@link ChannelGroups#setDistributions(double, boolean, int)}). */
class QuantizedDistributionsTest {

    @Test
    void drawsMultiplesBetweenTheMinimumAndTheFullSize() {
        ChannelGroups groups = new ChannelGroups(5);
        groups.add("c1", 32);
        groups.add("c2", 64);
        groups.add("odd", 21);
        groups.setDistributions(0.5, false, 8);
        Set<Integer> c1 = new TreeSet<>();
        Set<Integer> c2 = new TreeSet<>();
        Set<Integer> odd = new TreeSet<>();
        for (int i = 0; i < 2000; i++) {
            groups.drawTrainingSizes();
            c1.add(groups.get("c1").size(true));
            c2.add(groups.get("c2").size(true));
            odd.add(groups.get("odd").size(true));
        }
        assertEquals(Set.of(16, 24, 32), c1);
        assertEquals(Set.of(32, 40, 48, 56, 64), c2);
        assertEquals(Set.of(16, 21), odd, "min 11 rounds up to 16; the full size 21 stays reachable");
        assertEquals(32, groups.get("c1").size(), "evaluation stays at full size");
        groups.setDistributions(0.5, true, 1);
        Set<Integer> every = new TreeSet<>();
        for (int i = 0; i < 2000; i++) {
            groups.drawTrainingSizes();
            every.add(groups.get("c1").size(true));
        }
        assertTrue(every.size() > 10, "multiple 1 draws every size: " + every);
        assertThrows(IllegalArgumentException.class, () -> groups.setDistributions(0.5, false, 0));
    }
}
