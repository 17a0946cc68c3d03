package org.integral4j.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.integral4j.layers.grid.ChannelGroups;
import org.junit.jupiter.api.Test;

class WidthTest {

    @Test
    void ratioAndSizesResizeGroups() {
        ChannelGroups g = new ChannelGroups(1);
        g.add("a", 10);
        g.add("b", 20);
        Map<String, Integer> base = Map.of("a", 10, "b", 16);
        Width.ratio(0.5).applyTo(g, base);
        assertEquals(Map.of("a", 5, "b", 10), g.evaluationSizes());
        Width.sizes("custom", Map.of("a", 3)).applyTo(g, base);
        assertEquals(Map.of("a", 3, "b", 16), g.evaluationSizes(), "unnamed groups go back to the base sizes");
        assertEquals("50.0%", Width.ratio(0.5).label());
        assertEquals("100.0%", Width.full().label());
    }

    @Test
    void rejectsAmbiguousOrInvalidWidths() {
        assertThrows(IllegalArgumentException.class, () -> new Width("x", 0.5, Map.of("a", 3)));
        assertThrows(IllegalArgumentException.class, () -> new Width("x", Double.NaN, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Width.ratio(-1));
    }
}
