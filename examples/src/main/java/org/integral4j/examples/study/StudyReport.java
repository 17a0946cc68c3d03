package org.integral4j.examples.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Tables and the plot of {@link CalibrationStudy}: means over seeds. */
final class StudyReport {

    private StudyReport() {
    }

    static double mean(List<CalibrationStudy.Row> rows, String network, double width, String method) {
        double s = 0;
        int n = 0;
        for (CalibrationStudy.Row r : rows) {
            if (r.network().equals(network) && r.method().equals(method)
                    && (method.equals("full") || Math.abs(r.width() - width) < 1e-9)) {
                s += r.accuracy();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    static int count(List<CalibrationStudy.Row> rows, String network, double width, String method) {
        int n = 0;
        for (CalibrationStudy.Row r : rows) {
            if (r.network().equals(network) && r.method().equals(method) && Math.abs(r.width() - width) < 1e-9) {
                n++;
            }
        }
        return n;
    }

    /** A Markdown table per network: mean test accuracy (%) over seeds, and the seed counts. */
    static String summary(List<CalibrationStudy.Row> rows, double[] widths) {
        StringBuilder sb = new StringBuilder();
        List<String> networks = new ArrayList<>();
        rows.forEach(r -> {
            if (!networks.contains(r.network())) {
                networks.add(r.network());
            }
        });
        for (String net : networks) {
            sb.append(String.format(Locale.ROOT, "%n**%s** (full network %.2f%%)%n%n", net,
                    100 * mean(rows, net, 1, "full")));
            List<String> methods = CalibrationStudy.METHODS.stream()
                    .filter(m -> rows.stream().anyMatch(r -> r.network().equals(net) && r.method().equals(m)))
                    .toList();
            sb.append("| width | MACs |");
            for (String m : methods) {
                sb.append(' ').append(m).append(" |");
            }
            sb.append("\n|---|---|");
            methods.forEach(m -> sb.append("---|"));
            sb.append('\n');
            for (double w : widths) {
                double macs = 0;
                int k = 0;
                for (CalibrationStudy.Row r : rows) {
                    if (r.network().equals(net) && r.method().equals("inn") && Math.abs(r.width() - w) < 1e-9) {
                        macs += r.macs();
                        k++;
                    }
                }
                sb.append(String.format(Locale.ROOT, "| %.0f%% | %.1f%% |", 100 * w, 100 * macs / Math.max(k, 1)));
                for (String m : methods) {
                    double v = mean(rows, net, w, m);
                    int n = count(rows, net, w, m);
                    sb.append(Double.isNaN(v) ? " - |" : String.format(Locale.ROOT, " %.2f%s |", 100 * v,
                            n == 1 ? " (1 seed)" : ""));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** One chart per network side by side: mean accuracy against width for the main methods. */
    static void plot(List<CalibrationStudy.Row> rows, List<String> networks, double[] widths, Path png)
            throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (String net : networks) {
            XYChart chart = new XYChartBuilder().width(520).height(420).title(net + " (Fashion-MNIST)")
                    .xAxisTitle("width (% of channels)").yAxisTitle("test accuracy (%)").build();
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(100.0);
            for (String m : List.of("inn", "inn+cal", "inn+bplace+cal", "l1", "l1+cal", "budget+cal")) {
                if (count(rows, net, widths[0], m) == 0) {
                    continue;
                }
                double[] x = new double[widths.length];
                double[] y = new double[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    x[i] = 100 * widths[i];
                    y[i] = 100 * mean(rows, net, widths[i], m);
                }
                chart.addSeries(m, x, y).setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
