package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.LoadResult.ErrorCount;
import dev.swinserve.bench.load.LoadResult.Latency;
import dev.swinserve.bench.load.LoadResult.Second;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hand-made results for tests of what reads a {@link LoadResult}. */
public final class LoadResults {

  private LoadResults() {}

  /** Three seconds of an open stream loop with a gap in the middle second and two failures. */
  public static LoadResult sample() {
    LoadSpec spec =
        LoadSpec.builder(ModelSpec.newBuilder().setName("tiny").setLabel("canary").build())
            .mode(LoadMode.STREAM)
            .concurrency(2)
            .inFlight(4)
            .ratePerSecond(50)
            .duration(Duration.ofSeconds(3))
            .images(List.of(Path.of("images", "a \"quoted\".png")))
            .batch(2)
            .build();
    return new LoadResult(
        spec,
        "swinserve.test:8500",
        Instant.parse("2026-01-02T03:04:05Z"),
        Duration.ofMillis(3010),
        150,
        148,
        296,
        3,
        Map.of(Status.Code.UNAVAILABLE, new ErrorCount(2, "connection reset\nby peer")),
        new Latency(12_000, 20_000, 45_000, 61_234, 13_500.5),
        List.of(
            new Second(0, 50, 0, 11_000, 40_000),
            new Second(1, 0, 2, 0, 0),
            new Second(2, 98, 0, 12_500, 61_000)));
  }
}
