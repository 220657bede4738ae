package dev.swinserve.launcher.remote;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by at least two spaces, sized to their widest cell. */
final class TextTable {

  private static final int GAP = 2;

  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... headers) {
    rows.add(headers);
  }

  void add(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int column = 0; column < row.length; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    rows.forEach(row -> out.println(line(widths, row)));
    out.flush();
  }

  /**
   * One row with each cell padded to its column's width; a cell wider than its column pushes the
   * rest along rather than being cut.
   */
  static String line(int[] widths, String... cells) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < cells.length; column++) {
      line.append(cells[column]);
      if (column < cells.length - 1) {
        int pad = Math.max(GAP, widths[column] + GAP - cells[column].length());
        line.append(" ".repeat(pad));
      }
    }
    return line.toString().stripTrailing();
  }
}
