package dev.swinserve.server.grpc;

import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.Status;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Records each classification call's latency by method ({@link FrontDoor}), model, version and
 * status code; {@link CallPipeline} calls it once per call. An answered request is labelled with
 * the model version that answered; a failed one with version 0 and the name it asked for if that is
 * a model or endpoint the server knows, else {@link ServerMetrics#UNKNOWN}: a caller's made-up
 * names never become series.
 */
@Singleton
final class RequestMetrics {

  private final ServerMetrics metrics;
  private final ModelRegistry<ClassificationModel> registry;
  private final Router router;

  @Inject
  RequestMetrics(
      ServerMetrics metrics, ModelRegistry<ClassificationModel> registry, Router router) {
    this.metrics = metrics;
    this.registry = registry;
    this.router = router;
  }

  /** A request {@code model} answered. */
  void record(FrontDoor door, ModelVersionId model, long startNanoTime) {
    record(door, model.name(), model.version(), Status.Code.OK, startNanoTime);
  }

  /**
   * A request for {@code requested} (a model or endpoint name, as the caller wrote it) that failed.
   */
  void recordFailure(FrontDoor door, String requested, Status.Code status, long startNanoTime) {
    record(door, known(requested) ? requested : ServerMetrics.UNKNOWN, 0, status, startNanoTime);
  }

  private void record(
      FrontDoor door, String model, long version, Status.Code status, long startNanoTime) {
    metrics
        .distribution(
            "request_latency",
            "ms",
            Map.of(
                "method",
                door.method(),
                "model",
                model,
                "version",
                Long.toString(version),
                "status",
                status.name()))
        .recordNanos(System.nanoTime() - startNanoTime);
  }

  /** Two map lookups: called for every failed request, prober's made-up names included. */
  private boolean known(String name) {
    return router.table().endpoint(name).isPresent() || registry.contains(name);
  }
}
