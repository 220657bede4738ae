package dev.swinserve.server.grpc;

import dev.swinserve.server.metrics.ServerMetrics;
import io.grpc.Status;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;

/** Records each Classify request's latency by method, model, version and status code. */
@Singleton
final class RequestMetrics {

  private final ServerMetrics metrics;

  @Inject
  RequestMetrics(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** @param version 0 when the request failed before a version was chosen */
  void record(String method, String model, long version, Status.Code status, long startNanoTime) {
    metrics.distribution("request_latency", "ms", Map.of("method", method, "model", model,
        "version", Long.toString(version), "status", status.name()))
        .recordNanos(System.nanoTime() - startNanoTime);
  }
}
