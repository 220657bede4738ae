package dev.swinserve.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.bench.harness.ServerUnderTest;
import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.bench.load.LoadResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmarks of the served path, each the measurement behind one target. Every ratio is
 * measured in one run, on one machine, so drift between runs cancels.
 */
final class Scenarios {

  private static final String BATCHING_OFF = "runtime: {batching: {enabled: false}}\n";
  private static final int SHADOW_PAIRS = 16;

  /**
   * A lone caller sends about 140 requests a second: the server's JIT compilers need more than the
   * usual 3 s of them before the request path runs compiled (the overhead measured 4.7 to 7.9 ms
   * after 3 s and 1.5 to 2.2 ms after 15 s, in one period).
   */
  private static final Duration LATENCY_WARM_UP = Duration.ofSeconds(15);

  private final Workspace workspace;
  private final Duration duration;
  private final PrintStream out;

  Scenarios(Workspace workspace, Duration duration, PrintStream out) {
    this.workspace = workspace;
    this.duration = duration;
    this.out = out;
  }

  private static ObjectNode node() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * SwinV2-T at saturation: 32 unary callers with encoded images against the raw ceiling. The raw
   * sweep finds the model's best batch size on this machine; the server is configured to batch up
   * to that size, as one tunes {@code max_batch_size} per model.
   */
  ObjectNode throughput() throws Exception {
    Path repository = workspace.tinyRepository();
    Path version = repository.resolve(Workspace.TINY).resolve("1");
    List<Path> images = workspace.images();
    List<byte[]> encoded = new ArrayList<>();
    for (Path image : images) {
      encoded.add(Files.readAllBytes(image));
    }
    ObjectNode report = node();
    ObjectNode raw = report.putObject("raw");
    double bestSweep = 0;
    int bestBatch = 1;
    try (RawBaseline baseline = RawBaseline.load(version, 8)) {
      for (int batch : new int[] {1, 2, 4, 8}) {
        double imagesPerSecond = baseline.imagesPerSecond(encoded, batch, duration.dividedBy(2));
        raw.put("batch_" + batch + "_images_per_second", imagesPerSecond);
        out.printf("raw in-process, batch %d: %.2f images/s%n", batch, imagesPerSecond);
        if (imagesPerSecond > bestSweep) {
          bestSweep = imagesPerSecond;
          bestBatch = batch;
        }
      }
    }
    raw.put("best_batch_size", bestBatch);
    String config = "runtime: {batching: {max_batch_size: " + bestBatch + "}}\n";
    report.put("server_config", config);
    LoadResult served;
    try (ServerUnderTest server =
        ServerUnderTest.start(repository, workspace.root().resolve("throughput"), config)) {
      served =
          Runs.run(
              Runs.encoded(Runs.unary(Workspace.TINY, 32, duration), images).build(),
              server.channel());
      Runs.record(report.putObject("served"), served);
      report.set("server_metrics", Metrics.summary(server.metrics(false)));
    }
    // Raw at its best batch size once more, right after: the mean of before and after cancels
    // drift.
    double after;
    try (RawBaseline baseline = RawBaseline.load(version, bestBatch)) {
      after = baseline.imagesPerSecond(encoded, bestBatch, duration);
    }
    double ceiling = (bestSweep + after) / 2;
    raw.put("best_before_images_per_second", bestSweep);
    raw.put("best_after_images_per_second", after);
    raw.put("ceiling_images_per_second", ceiling);
    report.put("served_over_raw", served.imagesPerSecond() / ceiling);
    out.printf(
        "served, 32 callers, max_batch_size %d: %.2f images/s; raw at batch %d: %.2f before, %.2f after;"
            + " served = %.1f%% of raw (target >= 90%%)%n",
        bestBatch,
        served.imagesPerSecond(),
        bestBatch,
        bestSweep,
        after,
        100 * served.imagesPerSecond() / ceiling);
    return report;
  }

  /** The mini model at 32 callers with batching on and off. */
  ObjectNode batching() throws Exception {
    ObjectNode report = node();
    LoadResult on = miniUnary("batching-on", "", 32);
    LoadResult off = miniUnary("batching-off", BATCHING_OFF, 32);
    Runs.record(report.putObject("batching_on"), on);
    Runs.record(report.putObject("batching_off"), off);
    report.put("on_over_off", on.imagesPerSecond() / off.imagesPerSecond());
    out.printf(
        "batching on: %.1f images/s, off: %.1f images/s, ratio %.2f (target >= 1.5)%n",
        on.imagesPerSecond(), off.imagesPerSecond(), on.imagesPerSecond() / off.imagesPerSecond());
    return report;
  }

  /**
   * One caller, after {@link #LATENCY_WARM_UP}: served p50 against the model's own p50 on the same
   * tensor.
   */
  ObjectNode latency() throws Exception {
    ObjectNode report = node();
    Path repository = workspace.miniRepository();
    double[] raw;
    try (RawBaseline baseline =
        RawBaseline.load(repository.resolve(Workspace.MINI).resolve("1"), 1)) {
      float[] pixels = new float[baseline.inputLength()];
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextGaussian();
      }
      raw = baseline.latencyMillis(pixels, duration);
    }
    LoadResult served;
    try (ServerUnderTest server =
        ServerUnderTest.start(repository, workspace.root().resolve("latency"), "")) {
      served =
          Runs.run(
              Runs.pixels(Runs.unary(Workspace.MINI, 1, duration), 64)
                  .warmup(LATENCY_WARM_UP)
                  .build(),
              server.channel());
      report.set("server_metrics", Metrics.summary(server.metrics(false)));
    }
    report.put("raw_p50_ms", raw[0]);
    report.put("raw_p99_ms", raw[1]);
    Runs.record(report.putObject("served"), served);
    double overhead = served.latency().p50Micros() / 1e3 - raw[0];
    report.put("p50_overhead_ms", overhead);
    out.printf(
        "1 caller: raw p50 %.2f ms, served p50 %.2f ms, overhead %.2f ms (target <= 2 ms)%n",
        raw[0], served.latency().p50Micros() / 1e3, overhead);
    return report;
  }

  /** 8 streams with 16 requests in flight each against 32 unary callers. */
  ObjectNode streams() throws Exception {
    ObjectNode report = node();
    Path repository = workspace.miniRepository();
    try (ServerUnderTest server =
        ServerUnderTest.start(repository, workspace.root().resolve("streams"), "")) {
      LoadResult unary =
          Runs.run(
              Runs.pixels(Runs.unary(Workspace.MINI, 32, duration), 64).build(), server.channel());
      LoadResult stream =
          Runs.run(
              Runs.pixels(Runs.stream(Workspace.MINI, 8, 16, duration), 64).build(),
              server.channel());
      Runs.record(report.putObject("unary_32_callers"), unary);
      Runs.record(report.putObject("stream_8x16"), stream);
      report.put("stream_over_unary", stream.imagesPerSecond() / unary.imagesPerSecond());
      out.printf(
          "unary 32 callers: %.1f images/s; stream 8x16: %.1f images/s, ratio %.2f (target >= 1)%n",
          unary.imagesPerSecond(),
          stream.imagesPerSecond(),
          stream.imagesPerSecond() / unary.imagesPerSecond());
    }
    return report;
  }

  /** Resident size after 2,000 and after 20,000 requests. */
  ObjectNode memory() throws Exception {
    ObjectNode report = node();
    try (ServerUnderTest server =
        ServerUnderTest.start(workspace.miniRepository(), workspace.root().resolve("memory"), "")) {
      Runs.run(
          Runs.pixels(Runs.unary(Workspace.MINI, 8, duration), 64)
              .requests(2_000)
              .warmup(Duration.ZERO)
              .build(),
          server.channel());
      long after2k = server.residentBytes();
      Runs.run(
          Runs.pixels(Runs.unary(Workspace.MINI, 8, duration), 64)
              .requests(18_000)
              .warmup(Duration.ZERO)
              .build(),
          server.channel());
      long after20k = server.residentBytes();
      report.put("rss_after_2000_mb", after2k / 1048576.0);
      report.put("rss_after_20000_mb", after20k / 1048576.0);
      report.put("growth", (double) after20k / after2k - 1);
      out.printf(
          "resident: %.1f MB after 2,000 requests, %.1f MB after 20,000: %+.1f%% (target within 5%%)%n",
          after2k / 1048576.0, after20k / 1048576.0, 100.0 * after20k / after2k - 100);
    }
    return report;
  }

  /** Throughput and p99 at 32 callers for queue delays of 0, 1, 2, 5 and 10 ms. */
  ObjectNode delaySweep() throws Exception {
    ObjectNode report = node();
    ArrayNode rows = report.putArray("delays");
    for (int delay : new int[] {0, 1, 2, 5, 10}) {
      LoadResult result =
          miniUnary(
              "delay-" + delay, "runtime: {batching: {max_queue_delay_ms: " + delay + "}}\n", 32);
      ObjectNode row = rows.addObject();
      row.put("max_queue_delay_ms", delay);
      Runs.record(row, result);
      out.printf(
          "delay %2d ms: %.1f images/s, p50 %.1f ms, p99 %.1f ms%n",
          delay,
          result.imagesPerSecond(),
          result.latency().p50Micros() / 1e3,
          result.latency().p99Micros() / 1e3);
    }
    return report;
  }

  /**
   * One caller through an endpoint without a shadow and with a shadow arm that gets a copy of every
   * request (another loaded copy of the mini model, with the server's thread settings): what
   * shadowing adds to the primary's p50. A paired design, because this shared machine's speed
   * drifts by more than the effect: {@value #SHADOW_PAIRS} pairs of short runs (a quarter of the
   * run length each), plain and shadowed back to back in alternating order, and the added latency
   * is the median of the pairs' differences. The server's own per-arm latency is reported too.
   */
  ObjectNode shadow() throws Exception {
    ObjectNode report = node();
    List<String> endpoints = List.of("plain", "shadowed");
    Duration slice = duration.dividedBy(4);
    ArrayNode runs = report.putArray("runs");
    List<Double> differences = new ArrayList<>();
    double[] p50Sum = new double[endpoints.size()];
    try (ServerUnderTest server =
        ServerUnderTest.start(
            workspace.shadowRepository(), workspace.root().resolve("shadow"), "")) {
      for (String endpoint : endpoints) {
        // Unmeasured: the first seconds after start pay for JIT compilation and first-use
        // allocation.
        Runs.run(
            Runs.pixels(Runs.unary(endpoint, 1, Duration.ofSeconds(5)), 64).build(),
            server.channel());
      }
      for (int pair = 0; pair < SHADOW_PAIRS; pair++) {
        double[] p50 = new double[endpoints.size()];
        for (int turn = 0; turn < endpoints.size(); turn++) {
          int i = pair % 2 == 0 ? turn : endpoints.size() - 1 - turn;
          LoadResult result =
              Runs.run(
                  Runs.pixels(Runs.unary(endpoints.get(i), 1, slice), 64)
                      .warmup(Duration.ofMillis(500))
                      .build(),
                  server.channel());
          ObjectNode run = runs.addObject();
          run.put("endpoint", endpoints.get(i));
          run.put("pair", pair);
          Runs.record(run, result);
          p50[i] = result.latency().p50Micros() / 1e3;
          p50Sum[i] += p50[i];
        }
        differences.add(p50[1] - p50[0]);
      }
      ObjectNode routing = report.putObject("routing_metrics");
      for (var series : server.metrics(false).getDistributionsList()) {
        if (series.getName().startsWith("arm_") || series.getName().startsWith("shadow_")) {
          ObjectNode row =
              routing.putObject(series.getName() + new java.util.TreeMap<>(series.getLabelsMap()));
          row.put("count", series.getCount());
          row.put("mean", series.getMean());
          row.put("p50", series.getP50());
          row.put("unit", series.getUnit());
        }
      }
    }
    Collections.sort(differences);
    double median =
        (differences.get((SHADOW_PAIRS - 1) / 2) + differences.get(SHADOW_PAIRS / 2)) / 2;
    report.put("plain_p50_ms", p50Sum[0] / SHADOW_PAIRS);
    report.put("shadowed_p50_ms", p50Sum[1] / SHADOW_PAIRS);
    report.put("shadowed_added_p50_ms", median);
    ArrayNode sorted = report.putArray("pair_differences_ms");
    differences.forEach(sorted::add);
    out.printf(
        "1 caller: plain p50 %.2f ms, shadowed p50 %.2f ms (means of %d runs); added, median of the pairs:"
            + " %+.2f ms (target <= 1 ms)%n",
        p50Sum[0] / SHADOW_PAIRS, p50Sum[1] / SHADOW_PAIRS, SHADOW_PAIRS, median);
    return report;
  }

  private LoadResult miniUnary(String name, String config, int callers) throws Exception {
    try (ServerUnderTest server =
        ServerUnderTest.start(workspace.miniRepository(), workspace.root().resolve(name), config)) {
      return Runs.run(
          Runs.pixels(Runs.unary(Workspace.MINI, callers, duration), 64).build(), server.channel());
    }
  }
}
