package org.integral4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.junit.jupiter.api.Test;

/** {@link ConversionProgress}: when a bar is drawn, and that a real conversion drives it to the end. */
class ConversionProgressTest {

    @Test
    void aBarOnlyOnATerminalAndNotWithVerbose() {
        assertTrue(ConversionProgress.shown(true, false));
        assertFalse(ConversionProgress.shown(false, false), "output redirected: no bar");
        assertFalse(ConversionProgress.shown(true, true), "--verbose: log lines instead");
        // the test JVM's streams are not a terminal
        assertEquals(null, ConversionProgress.onTerminal(false));
    }

    @Test
    void aConversionStepsThroughEveryPhaseAndPermutedGroup() {
        List<String> frames = new ArrayList<>();
        IntegralModel inn;
        long current;
        long max;
        try (ConversionProgress progress = new ConversionProgress("Converting",
                new DelegatingProgressBarConsumer(frames::add, 120))) {
            inn = IntegralWrapper.builder().listener(progress).build().wrapModel(TestModels.multiLayerNetwork());
            current = progress.current();
            max = progress.max();
            progress.done();
        }
        int groups = inn.groupNames().size();
        assertEquals(ConversionProgress.PHASES + groups, max, "one step per phase and per permuted group");
        assertEquals(max, current, "every step done");
        String all = String.join("\n", frames);
        assertTrue(all.contains("Converting") && all.contains("100%"), all);
    }
}
