package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.api.v1.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadResultJsonTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void everyFieldIsThereWithUnitsInTheNames() throws Exception {
    JsonNode json = mapper.readTree(LoadResults.sample().toJson());

    assertThat(json.get("start_time").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(json.get("target").asText()).isEqualTo("swinserve.test:8500");
    assertThat(json.get("elapsed_seconds").asDouble()).isCloseTo(3.01, offset(1e-9));
    assertThat(json.get("requests").asLong()).isEqualTo(150);
    assertThat(json.get("succeeded").asLong()).isEqualTo(148);
    assertThat(json.get("failed").asLong()).isEqualTo(2);
    assertThat(json.get("images").asLong()).isEqualTo(296);
    assertThat(json.get("dropped").asLong()).isEqualTo(3);
    assertThat(json.at("/throughput/requests_per_second").asDouble())
        .isCloseTo(148 / 3.01, offset(1e-9));
    assertThat(json.at("/throughput/images_per_second").asDouble())
        .isCloseTo(296 / 3.01, offset(1e-9));
    assertThat(json.at("/latency_us/p50").asLong()).isEqualTo(12_000);
    assertThat(json.at("/latency_us/p90").asLong()).isEqualTo(20_000);
    assertThat(json.at("/latency_us/p99").asLong()).isEqualTo(45_000);
    assertThat(json.at("/latency_us/max").asLong()).isEqualTo(61_234);
    assertThat(json.at("/latency_us/mean").asDouble()).isEqualTo(13_500.5);
    assertThat(json.at("/errors/UNAVAILABLE/count").asLong()).isEqualTo(2);
    assertThat(json.at("/errors/UNAVAILABLE/first_message").asText())
        .isEqualTo("connection reset\nby peer");
    assertThat(json.get("timeline")).hasSize(3);
    assertThat(json.at("/timeline/1/failed").asLong()).isEqualTo(2);
    assertThat(json.at("/timeline/2/p99_us").asLong()).isEqualTo(61_000);
  }

  @Test
  void parametersDescribeTheRun() throws Exception {
    JsonNode parameters = mapper.readTree(LoadResults.sample().toJson()).get("parameters");

    assertThat(parameters.at("/model/name").asText()).isEqualTo("tiny");
    assertThat(parameters.at("/model/label").asText()).isEqualTo("canary");
    assertThat(parameters.get("mode").asText()).isEqualTo("stream");
    assertThat(parameters.get("loop").asText()).isEqualTo("open");
    assertThat(parameters.get("concurrency").asInt()).isEqualTo(2);
    assertThat(parameters.get("in_flight").asInt()).isEqualTo(4);
    assertThat(parameters.get("rate_per_second").asDouble()).isEqualTo(50);
    assertThat(parameters.get("max_outstanding").asInt()).isEqualTo(1000);
    assertThat(parameters.get("duration_seconds").asDouble()).isEqualTo(3);
    assertThat(parameters.has("requests")).isFalse();
    assertThat(parameters.get("warmup_seconds").asDouble()).isEqualTo(1);
    assertThat(parameters.get("input").asText()).isEqualTo("encoded");
    assertThat(parameters.get("images").get(0).asText())
        .isEqualTo(Path.of("images", "a \"quoted\".png").toString());
    assertThat(parameters.get("batch").asInt()).isEqualTo(2);
    assertThat(parameters.get("deadline_ms").asLong()).isEqualTo(30_000);
  }

  @Test
  void aClosedPixelRunByCountWithNothingMeasuredIsStillValidJson() throws Exception {
    LoadSpec spec =
        LoadSpec.builder(ModelSpec.newBuilder().setName("tiny").setVersion(4).build())
            .input(InputKind.PIXELS)
            .pixelSize(64)
            .requests(10)
            .build();
    LoadResult empty =
        new LoadResult(
            spec,
            "t",
            Instant.EPOCH,
            Duration.ZERO,
            0,
            0,
            0,
            0,
            Map.of(),
            LoadResult.Latency.NONE,
            List.of());

    JsonNode json = mapper.readTree(empty.toJson());

    assertThat(json.at("/parameters/model/version").asLong()).isEqualTo(4);
    assertThat(json.at("/parameters/loop").asText()).isEqualTo("closed");
    assertThat(json.at("/parameters/requests").asLong()).isEqualTo(10);
    assertThat(json.at("/parameters/pixel_size").asInt()).isEqualTo(64);
    assertThat(json.at("/parameters/seed").asLong()).isEqualTo(42);
    assertThat(json.at("/throughput/requests_per_second").asDouble()).isZero();
    assertThat(json.get("errors").isEmpty()).isTrue();
    assertThat(json.get("timeline").isArray()).isTrue();
  }
}
