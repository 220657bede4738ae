package dev.swinserve.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a {@code model.yaml}:
 *
 * <pre>
 * version_policy: {latest: 2}     # or: all   or: {all: {}}   or: {specific: [1, 3]}
 * labels: {stable: 1, canary: 2}
 * runtime: {intra_op_threads: 2}  # opaque to the registry, handed to the loader
 * </pre>
 *
 * Every key is optional; an empty file means {@link ModelConfig#defaults()}. Unknown keys and
 * duplicate keys are errors, so that a typo does not silently fall back to a default.
 */
final class ModelConfigReader {

  private static final Set<String> KEYS = Set.of("version_policy", "labels", "runtime");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  private final Path file;

  private ModelConfigReader(Path file) {
    this.file = file;
  }

  /** @throws InvalidModelConfigException naming the file and the key at fault */
  static ModelConfig read(Path file) {
    return new ModelConfigReader(file).read();
  }

  private ModelConfig read() {
    JsonNode root = parse();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return ModelConfig.defaults();
    }
    if (!root.isObject()) {
      throw error("", "must be a mapping with keys " + String.join(", ", sorted(KEYS)));
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw error(key, "unknown key (allowed: " + String.join(", ", sorted(KEYS)) + ")");
      }
    }
    ModelConfig defaults = ModelConfig.defaults();
    VersionPolicy policy = present(root, "version_policy")
        ? versionPolicy(root.get("version_policy"))
        : defaults.versionPolicy();
    Map<String, Long> labels = present(root, "labels") ? labels(root.get("labels")) : Map.of();
    JsonNode runtime = present(root, "runtime") ? runtime(root.get("runtime")) : null;
    return new ModelConfig(policy, labels, runtime);
  }

  private JsonNode parse() {
    try {
      return YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null
          ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new InvalidModelConfigException(
          file + ": not valid YAML: " + e.getOriginalMessage() + where, e);
    } catch (IOException e) {
      throw new InvalidModelConfigException(file + ": cannot read: " + e, e);
    }
  }

  private VersionPolicy versionPolicy(JsonNode node) {
    String key = "version_policy";
    if (node.isTextual() && node.asText().equals("all")) {
      return VersionPolicy.all();
    }
    if (!node.isObject() || node.size() != 1) {
      throw error(key, "must be 'all', {all: {}}, {latest: N} or {specific: [versions]}, got " + node);
    }
    String kind = node.fieldNames().next();
    JsonNode value = node.get(kind);
    switch (kind) {
      case "all":
        if (!value.isNull() && !(value.isObject() && value.isEmpty())) {
          throw error(key + ".all", "takes no settings, got " + value);
        }
        return VersionPolicy.all();
      case "latest":
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
          throw error(key + ".latest", "must be a positive integer, got " + value);
        }
        return VersionPolicy.latest(value.asInt());
      case "specific":
        return VersionPolicy.specific(specificVersions(value));
      default:
        throw error(key + "." + kind, "unknown policy (allowed: all, latest, specific)");
    }
  }

  private List<Long> specificVersions(JsonNode value) {
    if (!value.isArray() || value.isEmpty()) {
      throw error("version_policy.specific", "must be a non-empty list of versions, got " + value);
    }
    List<Long> versions = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      versions.add(version("version_policy.specific[" + i + "]", value.get(i)));
    }
    return versions;
  }

  private Map<String, Long> labels(JsonNode node) {
    if (!node.isObject()) {
      throw error("labels", "must be a mapping of label to version, got " + node);
    }
    Map<String, Long> labels = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!RepositoryLayout.isValidLabel(field.getKey())) {
        throw error("labels", Names.quoted(field.getKey()) + " is not a valid label name (" + RepositoryLayout.LABEL_RULE + ")");
      }
      String key = "labels." + field.getKey();
      labels.put(field.getKey(), version(key, field.getValue()));
    }
    return labels;
  }

  private JsonNode runtime(JsonNode node) {
    if (!node.isObject()) {
      throw error("runtime", "must be a mapping, got " + node);
    }
    return node;
  }

  private long version(String key, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
      throw error(key, "must be a positive version number, got " + value);
    }
    return value.asLong();
  }

  /** A key written with no value ({@code labels:}) counts as absent. */
  private static boolean present(JsonNode root, String key) {
    return root.hasNonNull(key);
  }

  private InvalidModelConfigException error(String key, String problem) {
    return new InvalidModelConfigException(file + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
