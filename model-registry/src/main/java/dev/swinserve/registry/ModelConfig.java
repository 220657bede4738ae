package dev.swinserve.registry;

import dev.swinserve.config.ConfigTree;
import java.util.Map;

/**
 * A model's configuration, from the optional {@code <repository>/<name>/model.yaml} (read by {@link
 * ModelConfigReader}). Immutable.
 *
 * @param versionPolicy which versions found on disk are served
 * @param labels label to version, e.g. {@code stable: 2}; run-time labels win over these
 * @param runtime the file's {@code runtime:} section, opaque to the registry and bound by the
 *     loader (thread settings, batching), which reports errors with the file's name and lines;
 *     empty when absent
 */
public record ModelConfig(
    VersionPolicy versionPolicy, Map<String, Long> labels, ConfigTree runtime) {

  public ModelConfig {
    labels = Map.copyOf(labels);
    runtime = runtime == null ? ConfigTree.empty(RepositoryLayout.CONFIG_FILE) : runtime;
  }

  /** What a model without a {@code model.yaml} gets: the latest version, no labels. */
  public static ModelConfig defaults() {
    return new ModelConfig(VersionPolicy.latest(1), Map.of(), null);
  }
}
