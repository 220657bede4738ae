package dev.swinserve.server.metrics;

import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.RegistryListener;
import dev.swinserve.registry.VersionState;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Drops a version's series when the registry unloads it, and a model's remaining series (its failed
 * requests, labelled version 0) once the registry no longer knows the model, so series exist only
 * for what the server serves.
 */
public final class RetiredVersionMetrics implements RegistryListener {

  private final ServerMetrics metrics;
  private final Predicate<String> modelKnown;

  /**
   * @param modelKnown whether the registry still lists a model of that name
   */
  public RetiredVersionMetrics(ServerMetrics metrics, Predicate<String> modelKnown) {
    this.metrics = metrics;
    this.modelKnown = modelKnown;
  }

  /** Listens to {@code registry}; add the result with {@link ModelRegistry#addListener}. */
  public static RetiredVersionMetrics of(ServerMetrics metrics, ModelRegistry<?> registry) {
    return new RetiredVersionMetrics(metrics, registry::contains);
  }

  @Override
  public void servingChanged(String model, boolean serving) {}

  @Override
  public void versionStateChanged(ModelVersionId version, VersionState state) {
    if (state != VersionState.UNLOADED) {
      return;
    }
    metrics.removeSeries(
        Map.of("model", version.name(), "version", Long.toString(version.version())));
    if (!modelKnown.test(version.name())) {
      metrics.removeSeries(Map.of("model", version.name()));
    }
  }
}
