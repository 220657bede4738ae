package dev.swinserve.bench.perfanalyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MeasurementsTest {

  @Test
  void perfAnalyzersRowIsKeptInMillisecondsBesideItsColumnsAndComparedWithTheBench() {
    ObjectNode analyzed = JsonNodeFactory.instance.objectNode();
    Measurements.record(
        analyzed,
        new PerfAnalyzerCsv.Row(
            Map.of(
                "Concurrency", 1.0,
                "Inferences/Second", 9.0,
                "p50 latency", 110_000.0,
                "p90 latency", 120_000.0,
                "p99 latency", 150_000.0)),
        new ClientSummary(OptionalLong.of(12), OptionalDouble.of(115_500)));
    ObjectNode bench = JsonNodeFactory.instance.objectNode();
    bench.put(Measurements.IMAGES_PER_SECOND, 10.0);
    bench.put(Measurements.P50, 100.0);
    bench.put(Measurements.P90, 100.0);
    bench.put(Measurements.P99, 100.0);

    Measurements.compare(analyzed, bench);

    assertThat(analyzed.get(Measurements.P50).asDouble()).isEqualTo(110.0);
    assertThat(analyzed.get(Measurements.MEAN).asDouble())
        .as("no Avg latency column: the printed mean")
        .isEqualTo(115.5);
    assertThat(analyzed.get("requests").asLong()).isEqualTo(12);
    assertThat(analyzed.get("csv").get("p99 latency").asDouble()).isEqualTo(150_000.0);
    ObjectNode ratios = (ObjectNode) analyzed.get(Measurements.OVER_BENCH);
    assertThat(ratios.get(Measurements.IMAGES_PER_SECOND).asDouble()).isEqualTo(0.9);
    assertThat(ratios.get(Measurements.P99).asDouble()).isEqualTo(1.5);
    assertThat(Measurements.line(1, "perf_analyzer tfserving-grpc", analyzed))
        .contains("9.00 images/s", "p50     110.0 ms", "p99     150.0 ms");
  }

  @Test
  void aFailedRunGetsNoRatiosAndItsLineSaysWhy() {
    ObjectNode failed = JsonNodeFactory.instance.objectNode();
    failed.put("error", "*** Measurement Settings ***\nerror: failed to get model config: boom\n");

    Measurements.compare(failed, JsonNodeFactory.instance.objectNode());

    assertThat(failed.has(Measurements.OVER_BENCH)).isFalse();
    assertThat(Measurements.line(32, "perf_analyzer kserve-grpc", failed))
        .endsWith("failed: error: failed to get model config: boom");
  }
}
