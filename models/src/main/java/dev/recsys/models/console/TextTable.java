package dev.recsys.models.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns: numbers right-aligned, text left-aligned. Built row by
 * row, rendered once. Not thread-safe.
 */
public final class TextTable {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  /** Adds a row; missing cells are blank, extra cells are an error. */
  public TextTable row(Object... cells) {
    if (cells.length > headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(c == null ? "" : c.toString());
    }
    while (row.size() < headers.size()) {
      row.add("");
    }
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  public String render() {
    int[] widths = new int[headers.size()];
    boolean[] numeric = new boolean[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      numeric[c] = !rows.isEmpty();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
        if (!row.get(c).isEmpty() && !row.get(c).matches("[-+]?[0-9.,]+(e[-+]?\\d+)?[%a-zµ]*")) {
          numeric[c] = false;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, headers, widths, new boolean[widths.length]);
    for (int c = 0; c < widths.length; c++) {
      sb.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
    }
    sb.append(System.lineSeparator());
    for (List<String> row : rows) {
      appendRow(sb, row, widths, numeric);
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] widths, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(c == 0 ? "" : "  ").append(right[c] ? pad + cell : cell + pad);
    }
    sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
  }

  @Override
  public String toString() {
    return render();
  }
}
