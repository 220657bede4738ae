package dev.swinserve.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.config.ConfigException;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.config.ConfigValueException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code model.yaml} with the one {@link dev.swinserve.config.ConfigBinder}:
 *
 * <pre>
 * version_policy: {latest: 2}     # or: all   or: {all: {}}   or: {specific: [1, 3]}
 * labels: {stable: 1, canary: 2}
 * runtime: {intra_op_threads: 2}  # opaque to the registry, handed to the loader
 * </pre>
 *
 * Every key is optional; an empty file means {@link ModelConfig#defaults()}. Unknown keys,
 * duplicate keys and values of the wrong type are errors naming the file, the key and the line, so
 * that a typo does not silently fall back to a default. Stateless.
 */
public final class ModelConfigReader {

  /** The file a model's configuration is read from, beside its version folders. */
  public static final String FILE_NAME = RepositoryLayout.CONFIG_FILE;

  private ModelConfigReader() {}

  /**
   * @throws InvalidModelConfigException naming the file, the key at fault and its line
   */
  public static ModelConfig read(Path file) {
    try {
      ConfigTree tree = ConfigTree.read(file);
      return tree.bind(new Builder(tree.section("runtime")), Builder::build);
    } catch (ConfigException e) {
      throw new InvalidModelConfigException(e.getMessage(), e);
    }
  }

  /** The keys of a {@code model.yaml} with their defaults. Not thread-safe. */
  private static final class Builder {
    private final ConfigTree runtimeSection;

    @JsonProperty("version_policy")
    private JsonNode versionPolicy;

    @JsonProperty("labels")
    private Map<String, Long> labels = Map.of();

    /** Bound here only to refuse a runtime that is not a mapping; the loader binds the section. */
    @JsonProperty("runtime")
    private ObjectNode runtime;

    Builder(ConfigTree runtimeSection) {
      this.runtimeSection = runtimeSection;
    }

    ModelConfig build() {
      VersionPolicy policy =
          versionPolicy == null ? ModelConfig.defaults().versionPolicy() : policy(versionPolicy);
      Map<String, Long> checked = new TreeMap<>();
      labels.forEach(
          (label, version) -> {
            if (!RepositoryLayout.isValidLabel(label)) {
              throw new ConfigValueException(
                  "labels",
                  Names.quoted(label)
                      + " is not a valid label name ("
                      + RepositoryLayout.LABEL_RULE
                      + ")");
            }
            checked.put(label, version("labels." + label, version));
          });
      return new ModelConfig(policy, checked, runtimeSection);
    }
  }

  /** {@code all}, {@code {all: {}}}, {@code {latest: N}} or {@code {specific: [versions]}}. */
  private static VersionPolicy policy(JsonNode node) {
    String key = "version_policy";
    if (node.isTextual() && node.asText().equals("all")) {
      return VersionPolicy.all();
    }
    if (!node.isObject() || node.size() != 1) {
      throw new ConfigValueException(
          key, "must be 'all', {all: {}}, {latest: N} or {specific: [versions]}, got " + node);
    }
    String kind = node.fieldNames().next();
    JsonNode value = node.get(kind);
    switch (kind) {
      case "all":
        if (!value.isNull() && !(value.isObject() && value.isEmpty())) {
          throw new ConfigValueException(key + ".all", "takes no settings, got " + value);
        }
        return VersionPolicy.all();
      case "latest":
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
          throw new ConfigValueException(
              key + ".latest", "must be a positive integer, got " + value);
        }
        return VersionPolicy.latest(value.asInt());
      case "specific":
        if (!value.isArray() || value.isEmpty()) {
          throw new ConfigValueException(
              key + ".specific", "must be a non-empty list of versions, got " + value);
        }
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
          JsonNode element = value.get(i);
          String at = key + ".specific[" + i + "]";
          if (!element.isIntegralNumber() || !element.canConvertToLong()) {
            throw new ConfigValueException(at, "must be a positive version number, got " + element);
          }
          versions.add(version(at, element.asLong()));
        }
        return VersionPolicy.specific(versions);
      default:
        throw new ConfigValueException(
            key + "." + kind, "is an unknown policy (allowed: all, latest, specific)");
    }
  }

  private static long version(String key, long version) {
    if (version < 1) {
      throw new ConfigValueException(key, "must be a positive version number, got " + version);
    }
    return version;
  }
}
