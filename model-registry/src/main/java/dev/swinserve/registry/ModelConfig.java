package dev.swinserve.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's configuration, from the optional {@code <repository>/<name>/model.yaml}.
 *
 * @param versionPolicy which versions found on disk are served
 * @param labels label to version, e.g. {@code stable: 2}; run-time labels win over these
 * @param runtime the file's {@code runtime:} section, opaque to the registry and read by the
 *     loader (thread settings, batching); an empty object when absent
 */
public record ModelConfig(VersionPolicy versionPolicy, Map<String, Long> labels, JsonNode runtime) {

  public ModelConfig {
    labels = Map.copyOf(labels);
    runtime = runtime == null ? JsonNodeFactory.instance.objectNode() : runtime.deepCopy();
  }

  /** What a model without a {@code model.yaml} gets: the latest version, no labels. */
  public static ModelConfig defaults() {
    return new ModelConfig(VersionPolicy.latest(1), Map.of(), null);
  }

  /**
   * Reads a {@code model.yaml}. Every key is optional and an empty file means {@link #defaults()};
   * unknown or duplicate keys are errors.
   *
   * @throws InvalidModelConfigException if the file cannot be read or used; the message names the
   *     file and the key at fault
   */
  public static ModelConfig read(Path yaml) {
    return ModelConfigReader.read(yaml);
  }
}
