package dev.swinserve.bench.perfanalyzer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CSV that {@code perf_analyzer -f} writes: a header line, then one row per concurrency
 * level measured. Columns are found by their header, so a service kind without server-side
 * statistics (fewer columns) reads the same. Latencies there are in microseconds.
 */
final class PerfAnalyzerCsv {

  static final String CONCURRENCY = "Concurrency";
  static final String THROUGHPUT = "Inferences/Second";
  static final String P50 = "p50 latency";
  static final String P90 = "p90 latency";
  static final String P95 = "p95 latency";
  static final String P99 = "p99 latency";
  static final String MEAN = "Avg latency";

  private PerfAnalyzerCsv() {}

  /**
   * One measured level: every numeric column by its header, in file order.
   *
   * @param columns unmodifiable
   */
  record Row(Map<String, Double> columns) {

    Row {
      columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * @throws IllegalArgumentException if the file had no such column
     */
    double get(String column) {
      Double value = columns.get(column);
      if (value == null) {
        throw new IllegalArgumentException(
            "perf_analyzer's CSV has no column '" + column + "'; it has " + columns.keySet());
      }
      return value;
    }

    int concurrency() {
      return (int) get(CONCURRENCY);
    }

    double inferencesPerSecond() {
      return get(THROUGHPUT);
    }
  }

  /**
   * The rows of {@code csv}, up to the first blank line (what may follow is not per level).
   *
   * @throws IllegalArgumentException if there is no header, no row, or a row's length differs from
   *     the header's
   */
  static List<Row> parse(String csv) {
    List<String> lines = new ArrayList<>();
    for (String line : csv.strip().split("\\R")) {
      if (line.isBlank()) {
        break;
      }
      lines.add(line.strip());
    }
    if (lines.size() < 2) {
      throw new IllegalArgumentException(
          "perf_analyzer's CSV holds no measurement: '" + csv.strip() + "'");
    }
    String[] header = lines.get(0).split(",", -1);
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells.length != header.length) {
        throw new IllegalArgumentException(
            "perf_analyzer's CSV row has "
                + cells.length
                + " cells for "
                + header.length
                + " columns: '"
                + line
                + "'");
      }
      Map<String, Double> columns = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        try {
          columns.put(header[i].strip(), Double.parseDouble(cells[i].strip()));
        } catch (NumberFormatException notNumeric) {
          // A text column (none today): left out, as the comparison needs numbers only.
        }
      }
      rows.add(new Row(columns));
    }
    return rows;
  }
}
