package dev.swinserve.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.InputKind;
import dev.swinserve.bench.load.LoadGenerator;
import dev.swinserve.bench.load.LoadMode;
import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadSpec;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The load runs the scenarios share, and how one is recorded. */
final class Runs {

  private Runs() {}

  static LoadSpec.Builder unary(String model, int callers, Duration duration) {
    return LoadSpec.builder(ModelSpec.newBuilder().setName(model).build())
        .mode(LoadMode.UNARY)
        .concurrency(callers)
        .duration(duration)
        .warmup(Duration.ofSeconds(3))
        .deadline(Duration.ofSeconds(60));
  }

  static LoadSpec.Builder stream(String model, int streams, int inFlight, Duration duration) {
    return unary(model, streams, duration).mode(LoadMode.STREAM).inFlight(inFlight);
  }

  static LoadSpec.Builder encoded(LoadSpec.Builder spec, List<Path> images) {
    return spec.input(InputKind.ENCODED).images(images);
  }

  static LoadSpec.Builder pixels(LoadSpec.Builder spec, int size) {
    return spec.input(InputKind.PIXELS).pixelSize(size);
  }

  static LoadResult run(LoadSpec spec, Channel channel) throws InterruptedException {
    LoadResult result = new LoadGenerator().run(spec, channel);
    if (result.failed() > 0) {
      throw new IllegalStateException(result.failed() + " requests failed: " + result.errors());
    }
    return result;
  }

  /** The numbers of a load run that go into a report. */
  static void record(ObjectNode node, LoadResult result) {
    node.put("requests", result.succeeded());
    node.put("images_per_second", result.imagesPerSecond());
    node.put("requests_per_second", result.requestsPerSecond());
    node.put("p50_ms", result.latency().p50Micros() / 1e3);
    node.put("p90_ms", result.latency().p90Micros() / 1e3);
    node.put("p99_ms", result.latency().p99Micros() / 1e3);
    node.put("max_ms", result.latency().maxMicros() / 1e3);
  }
}
