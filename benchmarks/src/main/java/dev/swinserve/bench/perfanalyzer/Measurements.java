package dev.swinserve.bench.perfanalyzer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.bench.load.LoadResult;
import java.util.List;
import java.util.Locale;

/**
 * Both tools' numbers under the same names, so that a report row reads the same whoever measured
 * it: throughput in images per second, latency percentiles in milliseconds.
 */
final class Measurements {

  static final String IMAGES_PER_SECOND = "images_per_second";
  static final String P50 = "p50_ms";
  static final String P90 = "p90_ms";
  static final String P99 = "p99_ms";
  static final String MEAN = "mean_ms";

  /** Under a {@code perf_analyzer} result: each of its numbers over the load generator's. */
  static final String OVER_BENCH = "over_swinserve_bench";

  private static final List<String> COMPARED = List.of(IMAGES_PER_SECOND, P50, P90, P99);

  private Measurements() {}

  /** The load generator's numbers. */
  static void record(ObjectNode node, LoadResult result) {
    node.put("requests", result.succeeded());
    node.put(IMAGES_PER_SECOND, result.imagesPerSecond());
    node.put(P50, result.latency().p50Micros() / 1e3);
    node.put(P90, result.latency().p90Micros() / 1e3);
    node.put(P99, result.latency().p99Micros() / 1e3);
    node.put(MEAN, result.latency().meanMicros() / 1e3);
    node.put("max_ms", result.latency().maxMicros() / 1e3);
  }

  /**
   * {@code perf_analyzer}'s numbers: its CSV row, every numeric column of it as it wrote it, and
   * the request count and mean latency it printed (the CSV has a mean only for Triton's kind).
   */
  static void record(ObjectNode node, PerfAnalyzerCsv.Row row, ClientSummary summary) {
    summary.requests().ifPresent(requests -> node.put("requests", requests));
    node.put(IMAGES_PER_SECOND, row.inferencesPerSecond());
    node.put(P50, row.get(PerfAnalyzerCsv.P50) / 1e3);
    node.put(P90, row.get(PerfAnalyzerCsv.P90) / 1e3);
    node.put(P99, row.get(PerfAnalyzerCsv.P99) / 1e3);
    if (row.columns().containsKey(PerfAnalyzerCsv.MEAN)) {
      node.put(MEAN, row.get(PerfAnalyzerCsv.MEAN) / 1e3);
    } else {
      summary.meanMicros().ifPresent(mean -> node.put(MEAN, mean / 1e3));
    }
    if (row.columns().containsKey(PerfAnalyzerCsv.P95)) {
      node.put("p95_ms", row.get(PerfAnalyzerCsv.P95) / 1e3);
    }
    ObjectNode columns = node.putObject("csv");
    row.columns().forEach(columns::put);
  }

  /** Adds {@link #OVER_BENCH} to a {@code perf_analyzer} result that has numbers. */
  static void compare(ObjectNode analyzed, ObjectNode bench) {
    if (!analyzed.has(IMAGES_PER_SECOND)) {
      return;
    }
    ObjectNode ratios = analyzed.putObject(OVER_BENCH);
    for (String key : COMPARED) {
      ratios.put(key, analyzed.get(key).asDouble() / bench.get(key).asDouble());
    }
  }

  /** One line of the console table. */
  static String line(int concurrency, String tool, ObjectNode node) {
    String prefix = String.format(Locale.ROOT, "%2d callers, %-30s ", concurrency, tool);
    if (!node.has(IMAGES_PER_SECOND)) {
      String error = node.path("error").asText();
      List<String> lines = error.lines().filter(line -> !line.isBlank()).toList();
      return prefix + "failed: " + (lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }
    return prefix
        + String.format(
            Locale.ROOT,
            "%8.2f images/s  p50 %9.1f ms  p90 %9.1f ms  p99 %9.1f ms",
            node.get(IMAGES_PER_SECOND).asDouble(),
            node.get(P50).asDouble(),
            node.get(P90).asDouble(),
            node.get(P99).asDouble());
  }
}
