package org.integral4j.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small table of numbers with named columns, written as CSV (comma-separated, '.' decimals, a
 * header line) and as a Markdown table.
 */
public final class CsvTable {

    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    /**
     * @param columns column names
     */
    public CsvTable(String... columns) {
        this.columns = List.of(columns);
    }

    /**
     * Adds a row.
     *
     * @param values one value per column (numbers or text)
     * @return this table
     */
    public CsvTable add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values, the table has "
                    + columns.size() + " columns " + columns);
        }
        rows.add(values.clone());
        return this;
    }

    /** @return the rows added so far (each array is the caller's order of columns) */
    public List<Object[]> rows() {
        return List.copyOf(rows);
    }

    /** @return the CSV text */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Object[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? "" : ",").append(csv(format(r[i], 4)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * @param decimals decimals for numbers
     * @return the table in Markdown
     */
    public String toMarkdown(int decimals) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n|");
        sb.append("---|".repeat(columns.size())).append('\n');
        for (Object[] r : rows) {
            sb.append('|');
            for (Object v : r) {
                sb.append(' ').append(format(v, decimals)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes the CSV text.
     *
     * @param file destination (parent folders are created)
     * @throws IOException when it cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, toCsv());
    }

    private static String format(Object v, int decimals) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", d);
        }
        return String.valueOf(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
