package dev.swinserve.launcher.remote;

import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadResult.ErrorCount;
import dev.swinserve.bench.load.LoadResult.Latency;
import dev.swinserve.bench.load.LoadSummary;
import io.grpc.Status;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** A {@code bench} run's result as plain-text tables: what ran, how much, how fast, what failed. */
final class BenchReport {

  private BenchReport() {}

  static void print(LoadResult result, PrintWriter out) {
    TextTable run = new TextTable("model", LoadSummary.model(result.spec().model()));
    run.add("target", result.target());
    run.add("started", result.startTime().toString());
    run.add("load", LoadSummary.load(result.spec()));
    run.add("measured", LoadSummary.stop(result.spec()));
    run.add("input", LoadSummary.input(result.spec()));
    run.add(
        "requests",
        result.requests()
            + " answered: "
            + result.succeeded()
            + " succeeded, "
            + result.failed()
            + " failed"
            + (result.spec().openLoop()
                ? "; " + result.dropped() + " dropped (outstanding bound hit)"
                : ""));
    run.add(
        "throughput",
        String.format(
            Locale.ROOT,
            "%.1f requests/s, %.1f images/s over %.3f s",
            result.requestsPerSecond(),
            result.imagesPerSecond(),
            result.elapsed().toNanos() / 1e9));
    run.print(out);
    out.println();

    Latency latency = result.latency();
    TextTable latencies = new TextTable("latency (ms)", "p50", "p90", "p99", "max", "mean");
    latencies.add(
        result.spec().openLoop() ? "from scheduled send" : "from send",
        LoadSummary.millis(latency.p50Micros()),
        LoadSummary.millis(latency.p90Micros()),
        LoadSummary.millis(latency.p99Micros()),
        LoadSummary.millis(latency.maxMicros()),
        LoadSummary.millis(latency.meanMicros()));
    latencies.print(out);

    if (!result.errors().isEmpty()) {
      out.println();
      TextTable errors = new TextTable("error", "count", "first message");
      for (Map.Entry<Status.Code, ErrorCount> error : result.errors().entrySet()) {
        errors.add(
            error.getKey().name(),
            Long.toString(error.getValue().count()),
            error.getValue().firstMessage());
      }
      errors.print(out);
    }
  }
}
