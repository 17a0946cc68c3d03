package org.integral4j.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV/Markdown tables, PNG charts and options of the example programs. */
class ReportTest {

    @Test
    void csvAndMarkdown(@TempDir Path dir) throws Exception {
        CsvTable t = new CsvTable("method", "r=1.0", "r=0.5").add("L1, discrete", 0.8123, Double.NaN).add("INN", 81.0, 79.25);
        t.writeCsv(dir.resolve("t.csv"));
        assertEquals("method,r=1.0,r=0.5\n\"L1, discrete\",0.8123,\nINN,81.0000,79.2500\n", Files.readString(dir.resolve("t.csv")));
        assertEquals("| method | r=1.0 | r=0.5 |\n|---|---|---|\n| L1, discrete | 0.8 |  |\n| INN | 81.0 | 79.3 |\n",
                t.toMarkdown(1));
        assertThrows(IllegalArgumentException.class, () -> t.add("too few"));
    }

    @Test
    void chartIsAReadablePng(@TempDir Path dir) throws Exception {
        BufferedImage img = Charts.lines("t", "x", "y", List.of(new Charts.Series("a", new double[] {1, 2, 3},
                new double[] {3, 1, 2}), new Charts.Series("b", new double[] {1, 2}, new double[] {1, 1e-3})), false, true);
        Path png = dir.resolve("sub/c.png");
        Charts.writePng(img, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(800, back.getWidth());
        assertEquals(560, back.getHeight());
        assertThrows(IllegalArgumentException.class, () -> new Charts.Series("bad", new double[2], new double[3]));
    }

    @Test
    void options() {
        Options o = new Options(new String[] {"--seeds", "2", "--dist", "normal"}, Set.of("seeds", "dist", "out"), "u");
        assertEquals(2, o.getInt("seeds", 3));
        assertEquals("normal", o.get("dist", "uniform"));
        assertEquals(0.25, o.getDouble("min-ratio", 0.25));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Options(new String[] {"--sedes", "2"}, Set.of("seeds"), "u"));
        assertTrue(e.getMessage().contains("sedes") && e.getMessage().contains("seeds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Options(new String[] {"--seeds"}, Set.of("seeds"), "u"));
    }

    @Test
    void progressFallsBackToPlainLinesWithoutATerminal() {
        // Test JVMs have no console: bars must not be drawn.
        assertTrue(!Progress.interactive());
        try (Progress.Steps s = Progress.steps("t", 2)) {
            s.step("one");
            s.step("two");
            assertTrue(s.elapsed().toNanos() >= 0);
        }
    }
}
