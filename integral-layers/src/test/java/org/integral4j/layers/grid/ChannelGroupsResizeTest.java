package org.integral4j.layers.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ChannelGroups#resizeAll(double)}: the ratio contract. */
class ChannelGroupsResizeTest {

    @Test
    void resizeByRatioAcceptsOnlyRatiosInTheUnitInterval() {
        ChannelGroups groups = new ChannelGroups(5);
        groups.add("c1", 32);
        groups.add("c2", 10);
        for (double bad : new double[] {0, -0.5, 1.5, 1e9, Double.POSITIVE_INFINITY, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> groups.resizeAll(bad));
            assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        }
        assertEquals(32, groups.get("c1").size(), "a refused ratio changes nothing");
        groups.resizeAll(0.5);
        assertEquals(16, groups.get("c1").size());
        assertEquals(5, groups.get("c2").size());
        groups.resizeAll(0.01);
        assertEquals(2, groups.get("c1").size(), "at least 2 channels");
        groups.resizeAll(1.0);
        assertEquals(32, groups.get("c1").size());
    }
}
