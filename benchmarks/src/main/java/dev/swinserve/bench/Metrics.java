package dev.swinserve.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.api.v1.Distribution;
import dev.swinserve.api.v1.GetMetricsResponse;

/** The server-side breakdown of a run: where the time went and how large the batches were. */
final class Metrics {

  private Metrics() {}

  static ObjectNode summary(GetMetricsResponse metrics) {
    ObjectNode summary = JsonNodeFactory.instance.objectNode();
    for (Distribution distribution : metrics.getDistributionsList()) {
      if (distribution.getName().equals("request_latency")) {
        continue;
      }
      ObjectNode series = summary.putObject(distribution.getName());
      series.put("count", distribution.getCount());
      series.put("mean", distribution.getMean());
      series.put("p50", distribution.getP50());
      series.put("p99", distribution.getP99());
      series.put("unit", distribution.getUnit());
    }
    return summary;
  }
}
