package dev.swinserve.server.kserve;

import dev.swinserve.api.kserve.InferStatistics;
import dev.swinserve.api.kserve.ModelStatistics;
import dev.swinserve.api.kserve.ModelStatisticsResponse;
import dev.swinserve.api.kserve.StatisticDuration;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.ModelStatus;
import dev.swinserve.registry.VersionState;
import dev.swinserve.registry.VersionStatus;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.metrics.Distribution;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.metrics.ServerMetrics.SeriesKey;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Triton's statistics extension, read from the server's own metrics ({@link ServerMetrics}) rather
 * than counted twice: per model version in memory (AVAILABLE or UNLOADING), {@code success} is its
 * answered requests in {@code request_latency} (every method), {@code queue} its requests' {@code
 * queue_time}, {@code compute_infer} its batches' {@code compute_time}, {@code execution_count} its
 * batches and {@code inference_count} their images ({@code batch_size}). The server labels a failed
 * request with the model it named but no version, so a model's failures are in one more entry with
 * an empty version, listed when there are any and no version was asked for. Durations are sums of
 * the recorded values (microsecond resolution, three significant digits). The counts start when the
 * version is loaded and restart when a {@code GetMetrics} call resets the metrics.
 *
 * <p>Thread-safe.
 */
final class ModelStatisticsReader {

  private final ModelRegistry<ClassificationModel> registry;
  private final ServerMetrics metrics;

  ModelStatisticsReader(ModelRegistry<ClassificationModel> registry, ServerMetrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
  }

  /**
   * @param name empty for every model
   * @param version empty for every version
   * @throws ModelNotFoundException if there is no such model or version
   * @throws InvalidInputException if the version is no number, or given without a model
   */
  ModelStatisticsResponse of(String name, String version) {
    if (name.isEmpty() && !version.isEmpty()) {
      throw new InvalidInputException("give the model name with the version");
    }
    if (!version.isEmpty() && !version.matches("[0-9]{1,18}")) {
      throw new InvalidInputException(
          "the version must be a version number, got '" + InferCall.shown(version) + "'");
    }
    List<ModelStatus> models = name.isEmpty() ? registry.list() : List.of(registry.status(name));
    List<Map.Entry<SeriesKey, Distribution.Snapshot>> series = metrics.distributions(false);
    ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
    for (ModelStatus model : models) {
      boolean found = false;
      for (VersionStatus status : model.versions()) {
        String number = Long.toString(status.version());
        if (!version.isEmpty() && !version.equals(number)) {
          continue;
        }
        found = true;
        if (status.state() == VersionState.AVAILABLE || status.state() == VersionState.UNLOADING) {
          response.addModelStats(versionStatistics(model.name(), number, series));
        }
      }
      if (!version.isEmpty() && !found) {
        throw new ModelNotFoundException(
            "model '" + model.name() + "' has no version " + InferCall.shown(version));
      }
      StatisticDuration failed =
          sum(
              series,
              "request_latency",
              Map.of("model", model.name(), "version", "0"),
              key -> !Status.Code.OK.name().equals(key.labels().get("status")));
      if (version.isEmpty() && failed.getCount() > 0) {
        response
            .addModelStatsBuilder()
            .setName(model.name())
            .setInferenceStats(InferStatistics.newBuilder().setFail(failed));
      }
    }
    return response.build();
  }

  private static ModelStatistics versionStatistics(
      String model, String version, List<Map.Entry<SeriesKey, Distribution.Snapshot>> series) {
    Map<String, String> labels = Map.of("model", model, "version", version);
    long images = 0;
    long batches = 0;
    for (Map.Entry<SeriesKey, Distribution.Snapshot> entry : series) {
      if (matches(entry.getKey(), "batch_size", labels)) {
        batches += entry.getValue().count();
        for (Map.Entry<Long, Long> size : entry.getValue().valueCounts().entrySet()) {
          images += size.getKey() * size.getValue();
        }
      }
    }
    return ModelStatistics.newBuilder()
        .setName(model)
        .setVersion(version)
        .setInferenceCount(images)
        .setExecutionCount(batches)
        .setInferenceStats(
            InferStatistics.newBuilder()
                .setSuccess(
                    sum(
                        series,
                        "request_latency",
                        labels,
                        key -> Status.Code.OK.name().equals(key.labels().get("status"))))
                .setQueue(sum(series, "queue_time", labels, key -> true))
                .setComputeInfer(sum(series, "compute_time", labels, key -> true)))
        .build();
  }

  /** The count and total time of every series of {@code name} with {@code labels} and more. */
  private static StatisticDuration sum(
      List<Map.Entry<SeriesKey, Distribution.Snapshot>> series,
      String name,
      Map<String, String> labels,
      Predicate<SeriesKey> also) {
    long count = 0;
    double millis = 0;
    for (Map.Entry<SeriesKey, Distribution.Snapshot> entry : series) {
      if (matches(entry.getKey(), name, labels) && also.test(entry.getKey())) {
        Distribution.Snapshot snapshot = entry.getValue();
        count += snapshot.count();
        millis += snapshot.mean() * snapshot.count();
      }
    }
    return StatisticDuration.newBuilder()
        .setCount(count)
        .setNs(Math.round(millis * 1_000_000))
        .build();
  }

  private static boolean matches(SeriesKey key, String name, Map<String, String> labels) {
    return key.name().equals(name) && key.labels().entrySet().containsAll(labels.entrySet());
  }
}
