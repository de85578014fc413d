package dev.bhatti.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A plain-text table of a JSON array (the SDK's tree: a list of maps): a header row, then one row
 * per element; every column but the last is padded to its widest cell, and no line has trailing
 * blanks.
 */
public final class Table {
    private static final String GAP = "  ";

    /** One column: its header and how a cell is taken from an element. */
    public record Column(String header, Function<Map<?, ?>, String> cell) {}

    private final List<Column> columns;

    private Table(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public static Table of(Column... columns) {
        return new Table(List.of(columns));
    }

    public static Table of(List<Column> columns) {
        return new Table(columns);
    }

    /** A column showing the element's {@code field} as text, blank when absent or null. */
    public static Column column(String header, String field) {
        return new Column(header, row -> text(row.get(field)));
    }

    public static Column column(String header, Function<Map<?, ?>, String> cell) {
        return new Column(header, cell);
    }

    /** A JSON value as table text: blank for missing, null, objects and arrays. */
    public static String text(Object value) {
        return value == null || value instanceof Map<?, ?> || value instanceof List<?> ? "" : value.toString();
    }

    /** A JSON value as an object ({@code {}} for anything else). */
    public static Map<?, ?> object(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    /** A JSON value as an array ({@code []} for anything else). */
    public static List<?> array(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    public void print(PrintWriter out, Object rows) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(columns.stream().map(Column::header).toList());
        array(rows).forEach(row -> lines.add(columns.stream().map(c -> c.cell().apply(object(row))).toList()));
        int[] widths = new int[columns.size()];
        lines.forEach(line -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        });
        lines.forEach(line -> out.println(format(line, widths)));
        out.flush();
    }

    private static String format(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == 0 ? "" : GAP).append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        return line.toString().stripTrailing();
    }
}
