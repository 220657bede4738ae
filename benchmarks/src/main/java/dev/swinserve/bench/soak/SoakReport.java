package dev.swinserve.bench.soak;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.api.v1.Distribution;
import dev.swinserve.api.v1.GetMetricsResponse;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A soak's results as JSON, and the summary printed at its end. */
final class SoakReport {

  private SoakReport() {}

  static ObjectNode goodCalls(GoodLoad load) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("ok", load.unaryOk() + load.streamOk());
    node.put("ok_unary", load.unaryOk());
    node.put("ok_stream_requests", load.streamOk());
    node.put("failed", load.failuresByCause().total());
    node.put("seconds_with_failures", load.secondsWithFailures());
    node.set("failed_by_status", counts(load.failuresByCause().byPrefix()));
    node.set("failed_by_cause", entries(load.failuresByCause()));
    node.set("failed_by_target", entries(load.failuresByTarget()));
    return node;
  }

  static ObjectNode badInputs(Chaos chaos) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("sent", chaos.badInputsByStatus().total());
    node.put("not_as_expected", chaos.badInputsUnexpected().total());
    node.set("by_kind_and_status", entries(chaos.badInputsByStatus()));
    node.set("not_as_expected_by_cause", entries(chaos.badInputsUnexpected()));
    return node;
  }

  static ObjectNode chaos(Chaos chaos) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("actions", entries(chaos.actions()));
    ArrayNode events = node.putArray("events");
    for (Chaos.Event event : chaos.events()) {
      events
          .addObject()
          .put("s", round(event.seconds()))
          .put("action", event.action().name())
          .put("detail", event.detail());
    }
    return node;
  }

  static ObjectNode resident(ResidentSampler sampler, double earlyMarkSeconds) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    Optional<ResidentSampler.Sample> early = sampler.at(earlyMarkSeconds);
    Optional<ResidentSampler.Sample> last = sampler.last();
    node.put("early_mark_s", earlyMarkSeconds);
    early.ifPresent(sample -> mark(node, "early", sample));
    last.ifPresent(sample -> mark(node, "end", sample));
    if (early.isPresent() && last.isPresent()) {
      node.put("growth", (double) last.get().bytes() / early.get().bytes() - 1);
      if (early.get().heapBytes() >= 0 && last.get().heapBytes() >= 0) {
        node.put(
            "outside_heap_growth",
            last.get().outsideHeapMegabytes() / early.get().outsideHeapMegabytes() - 1);
      }
    }
    ArrayNode samples = node.putArray("samples_s_rss_heap_mb_versions");
    for (ResidentSampler.Sample sample : sampler.samples()) {
      samples
          .addArray()
          .add(round(sample.seconds()))
          .add(round(sample.megabytes()))
          .add(round(sample.heapMegabytes()))
          .add(sample.availableVersions());
    }
    return node;
  }

  private static void mark(ObjectNode node, String name, ResidentSampler.Sample sample) {
    node.put(name + "_s", round(sample.seconds()));
    node.put(name + "_mb", round(sample.megabytes()));
    node.put(name + "_heap_committed_mb", round(sample.heapMegabytes()));
    node.put(name + "_outside_heap_mb", round(sample.outsideHeapMegabytes()));
    node.put(name + "_available_versions", sample.availableVersions());
  }

  /** The server's shadow series (copies dropped, shadow latency by outcome, agreement). */
  static ObjectNode shadows(GetMetricsResponse metrics) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Distribution series : metrics.getDistributionsList()) {
      if (series.getName().startsWith("shadow_")) {
        node.putObject(series.getName() + new TreeMap<>(series.getLabelsMap()))
            .put("count", series.getCount())
            .put("mean", series.getMean())
            .put("unit", series.getUnit());
      }
    }
    return node;
  }

  static void print(ObjectNode report, PrintStream out) {
    ObjectNode good = (ObjectNode) report.get("good_calls");
    out.printf(
        "good calls: %,d ok (%,d unary, %,d stream requests), %,d failed (target 0) in %d distinct seconds%n",
        good.get("ok").asLong(),
        good.get("ok_unary").asLong(),
        good.get("ok_stream_requests").asLong(),
        good.get("failed").asLong(),
        good.get("seconds_with_failures").asLong());
    printEntries(out, good.get("failed_by_cause"));
    ObjectNode bad = (ObjectNode) report.get("bad_inputs");
    out.printf(
        "bad inputs: %,d sent, %,d not refused as they should be%n",
        bad.get("sent").asLong(), bad.get("not_as_expected").asLong());
    printEntries(out, bad.get("not_as_expected_by_cause"));
    out.println("chaos actions:");
    printEntries(out, report.get("chaos").get("actions"));
    ObjectNode resident = (ObjectNode) report.get("resident");
    if (resident.has("growth")) {
      out.printf(
          "resident: %.1f MB at %.0f s, %.1f MB at %.0f s: %+.1f%% (target within 5%%)%n",
          resident.get("early_mb").asDouble(),
          resident.get("early_s").asDouble(),
          resident.get("end_mb").asDouble(),
          resident.get("end_s").asDouble(),
          100 * resident.get("growth").asDouble());
      out.printf(
          "  of which committed Java heap %.1f MB and %.1f MB; outside the heap %.1f MB and %.1f MB (%+.1f%%);"
              + " versions AVAILABLE %d and %d%n",
          resident.get("early_heap_committed_mb").asDouble(),
          resident.get("end_heap_committed_mb").asDouble(),
          resident.get("early_outside_heap_mb").asDouble(),
          resident.get("end_outside_heap_mb").asDouble(),
          100 * resident.path("outside_heap_growth").asDouble(),
          resident.get("early_available_versions").asInt(),
          resident.get("end_available_versions").asInt());
    } else {
      out.println("resident: too few samples to compare");
    }
    if (!report.get("server").get("alive_at_end").asBoolean()) {
      out.println(
          "THE SERVER EXITED during the run, with code " + report.get("server").get("exit_code"));
    }
  }

  private static void printEntries(
      PrintStream out, com.fasterxml.jackson.databind.JsonNode entries) {
    entries
        .fields()
        .forEachRemaining(
            entry ->
                out.printf(
                    "  %,8d  %s  (%.0f-%.0f s)%n",
                    entry.getValue().get("count").asLong(),
                    entry.getKey(),
                    entry.getValue().get("first_s").asDouble(),
                    entry.getValue().get("last_s").asDouble()));
  }

  private static ObjectNode entries(Tally tally) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    tally
        .entries()
        .forEach(
            (key, entry) ->
                node.putObject(key)
                    .put("count", entry.count())
                    .put("first_s", round(entry.firstSeconds()))
                    .put("last_s", round(entry.lastSeconds())));
    return node;
  }

  private static ObjectNode counts(Map<String, Long> counts) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    counts.forEach(node::put);
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
