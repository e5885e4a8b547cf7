package io.portside.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of cells printed in aligned columns, each as wide as its widest cell: text columns to the left, number columns
 * (named when made) to the right. Each row may carry indented detail lines printed under it.
 */
final class TextColumns {

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private final List<List<String>> details = new ArrayList<>();

    /** {@code rightAligned} are the indexes of the number columns. */
    TextColumns(List<String> headers, int... rightAligned) {
        this.headers = headers.toArray(String[]::new);
        this.right = new boolean[this.headers.length];
        for (int i : rightAligned) {
            right[i] = true;
        }
    }

    /** Adds a row; its cells in header order. */
    TextColumns row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        details.add(new ArrayList<>());
        return this;
    }

    /** A line printed under the last row, indented. */
    TextColumns detail(String line) {
        details.getLast().add(line);
        return this;
    }

    String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, width);
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), width);
            for (String d : details.get(r)) {
                out.append("    ").append(d).append('\n');
            }
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            l.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
        }
        out.append(l).append('\n');
    }
}
