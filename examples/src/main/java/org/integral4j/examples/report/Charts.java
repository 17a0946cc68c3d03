package org.integral4j.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts for results, drawn by XChart ({@code org.knowm.xchart}) and written as PNG, headless.
 */
public final class Charts {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b)};

    private Charts() {
    }

    /**
     * One named line of a chart.
     *
     * @param name legend text
     * @param x    x values
     * @param y    y values, as many as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {
        /** Checks the lengths. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length
                        + " y values");
            }
        }
    }

    /**
     * Draws a line chart with markers.
     *
     * @param title  chart title
     * @param xLabel x-axis title
     * @param yLabel y-axis title
     * @param series the lines, in legend order
     * @return the chart as an image (800x560)
     */
    public static BufferedImage lines(String title, String xLabel, String yLabel, List<Series> series) {
        return lines(title, xLabel, yLabel, series, false, false);
    }

    /**
     * Draws a line chart with markers, optionally with logarithmic axes.
     *
     * @param title  chart title
     * @param xLabel x-axis title
     * @param yLabel y-axis title
     * @param series the lines, in legend order
     * @param logX   a logarithmic x axis (values must be positive)
     * @param logY   a logarithmic y axis (values must be positive)
     * @return the chart as an image (800x560)
     */
    public static BufferedImage lines(String title, String xLabel, String yLabel, List<Series> series, boolean logX,
                                      boolean logY) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setChartBackgroundColor(Color.WHITE)
                .setMarkerSize(7);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.CIRCLE);
            xy.setLineColor(COLORS[i % COLORS.length]);
            xy.setMarkerColor(COLORS[i % COLORS.length]);
            xy.setLineStyle(new BasicStroke(2f));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Writes an image as PNG.
     *
     * @param image the image
     * @param file  the destination (parent folders are created)
     * @throws IOException when it cannot be written
     */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!javax.imageio.ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
