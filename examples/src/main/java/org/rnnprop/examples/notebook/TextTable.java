package org.rnnprop.examples.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with aligned columns: the first column left-aligned (names), the others right-aligned
 * (numbers).
 *
 * <pre>{@code
 * TextTable t = new TextTable("optimizer", "epoch 1", "epoch 2");
 * t.row("Adam 1e-3", "97.1%", "98.2%");
 * System.out.print(t);
 * }</pre>
 */
public final class TextTable {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column names. */
    public TextTable(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = header.clone();
    }

    /** Adds a row; it must have one cell per column. */
    public TextTable row(String... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("row " + Arrays.toString(cells) + " has " + cells.length
                    + " cells, the table " + header.length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    /** Rows added so far. */
    public int size() {
        return rows.size();
    }

    @Override
    public String toString() {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        append(sb, header, width);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < header.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append(rule).append('\n');
        for (String[] r : rows) {
            append(sb, r, width);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String pad = " ".repeat(width[c] - cells[c].length());
            line.append(c == 0 ? "" : "  ").append(c == 0 ? cells[c] + pad : pad + cells[c]);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
