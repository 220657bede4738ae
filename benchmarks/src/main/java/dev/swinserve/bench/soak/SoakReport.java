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
      events.addObject().put("s", round(event.seconds())).put("action", event.action().name())
          .put("detail", event.detail());
    }
    return node;
  }

  static ObjectNode resident(ResidentSampler sampler, double earlyMarkSeconds) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    Optional<ResidentSampler.Sample> early = sampler.at(earlyMarkSeconds);
    Optional<ResidentSampler.Sample> last = sampler.last();
    node.put("early_mark_s", earlyMarkSeconds);
    early.ifPresent(sample -> node.put("early_s", round(sample.seconds())).put("early_mb", round(sample.megabytes())));
    last.ifPresent(sample -> node.put("end_s", round(sample.seconds())).put("end_mb", round(sample.megabytes())));
    if (early.isPresent() && last.isPresent()) {
      node.put("growth", (double) last.get().bytes() / early.get().bytes() - 1);
    }
    ArrayNode samples = node.putArray("samples_s_mb");
    for (ResidentSampler.Sample sample : sampler.samples()) {
      samples.addArray().add(round(sample.seconds())).add(round(sample.megabytes()));
    }
    return node;
  }

  /** The server's shadow series (copies dropped, shadow latency by outcome, agreement). */
  static ObjectNode shadows(GetMetricsResponse metrics) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Distribution series : metrics.getDistributionsList()) {
      if (series.getName().startsWith("shadow_")) {
        node.putObject(series.getName() + new TreeMap<>(series.getLabelsMap()))
            .put("count", series.getCount()).put("mean", series.getMean()).put("unit", series.getUnit());
      }
    }
    return node;
  }

  static void print(ObjectNode report, PrintStream out) {
    ObjectNode good = (ObjectNode) report.get("good_calls");
    out.printf("good calls: %,d ok (%,d unary, %,d stream requests), %,d failed (target 0)%n",
        good.get("ok").asLong(), good.get("ok_unary").asLong(), good.get("ok_stream_requests").asLong(),
        good.get("failed").asLong());
    printEntries(out, good.get("failed_by_cause"));
    ObjectNode bad = (ObjectNode) report.get("bad_inputs");
    out.printf("bad inputs: %,d sent, %,d not refused as they should be%n", bad.get("sent").asLong(),
        bad.get("not_as_expected").asLong());
    printEntries(out, bad.get("not_as_expected_by_cause"));
    out.println("chaos actions:");
    printEntries(out, report.get("chaos").get("actions"));
    ObjectNode resident = (ObjectNode) report.get("resident");
    if (resident.has("growth")) {
      out.printf("resident: %.1f MB at %.0f s, %.1f MB at %.0f s: %+.1f%% (target within 5%%)%n",
          resident.get("early_mb").asDouble(), resident.get("early_s").asDouble(), resident.get("end_mb").asDouble(),
          resident.get("end_s").asDouble(), 100 * resident.get("growth").asDouble());
    } else {
      out.println("resident: too few samples to compare");
    }
    if (!report.get("server").get("alive_at_end").asBoolean()) {
      out.println("THE SERVER EXITED during the run, with code " + report.get("server").get("exit_code"));
    }
  }

  private static void printEntries(PrintStream out, com.fasterxml.jackson.databind.JsonNode entries) {
    entries.fields().forEachRemaining(entry -> out.printf("  %,8d  %s  (%.0f-%.0f s)%n",
        entry.getValue().get("count").asLong(), entry.getKey(), entry.getValue().get("first_s").asDouble(),
        entry.getValue().get("last_s").asDouble()));
  }

  private static ObjectNode entries(Tally tally) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    tally.entries().forEach((key, entry) -> node.putObject(key).put("count", entry.count())
        .put("first_s", round(entry.firstSeconds())).put("last_s", round(entry.lastSeconds())));
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
