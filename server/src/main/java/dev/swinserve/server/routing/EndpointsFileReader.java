package dev.swinserve.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.swinserve.registry.VersionSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code endpoints.yaml}:
 *
 * <pre>
 * endpoints:
 *   classifier:
 *     arms: [{model: mini, version: 1, weight: 90}, {model: mini, label: canary, weight: 10}]
 *     shadows: [{model: other, label: stable, share: 1.0}]
 * </pre>
 *
 * An arm or shadow names its model and at most one of version and label (neither: the model's
 * default version). {@code shadows} is optional. An unknown key, a missing weight or share, or a
 * value of the wrong type is an error that names where it is.
 */
public final class EndpointsFileReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private EndpointsFileReader() {}

  /** @throws InvalidEndpointException naming the first problem found */
  public static List<Endpoint> parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new InvalidEndpointException("not valid YAML: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    keys(root, "the file", Set.of("endpoints"));
    JsonNode endpoints = root.path("endpoints");
    if (endpoints.isMissingNode() || endpoints.isNull()) {
      return List.of();
    }
    if (!endpoints.isObject()) {
      throw new InvalidEndpointException("endpoints must be a map of endpoint name to definition");
    }
    List<Endpoint> result = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = endpoints.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> entry = it.next();
      String where = "endpoints." + entry.getKey();
      keys(entry.getValue(), where, Set.of("arms", "shadows"));
      List<Endpoint.Arm> arms = new ArrayList<>();
      for (JsonNode arm : list(entry.getValue().path("arms"), where + ".arms")) {
        keys(arm, where + ".arms", Set.of("model", "version", "label", "weight"));
        arms.add(new Endpoint.Arm(target(arm, where + ".arms"), (int) number(arm, "weight", where + ".arms")));
      }
      List<Endpoint.Shadow> shadows = new ArrayList<>();
      for (JsonNode shadow : list(entry.getValue().path("shadows"), where + ".shadows")) {
        keys(shadow, where + ".shadows", Set.of("model", "version", "label", "share"));
        shadows.add(new Endpoint.Shadow(target(shadow, where + ".shadows"), number(shadow, "share", where + ".shadows")));
      }
      result.add(new Endpoint(entry.getKey(), arms, shadows));
    }
    return result;
  }

  private static ModelTarget target(JsonNode node, String where) {
    JsonNode model = node.path("model");
    if (!model.isTextual()) {
      throw new InvalidEndpointException(where + ": model (a name) is required");
    }
    boolean hasVersion = node.has("version");
    boolean hasLabel = node.has("label");
    if (hasVersion && hasLabel) {
      throw new InvalidEndpointException(where + ": " + model.asText() + " has both version and label; give one");
    }
    if (hasVersion) {
      if (!node.get("version").canConvertToLong() || !node.get("version").isIntegralNumber()) {
        throw new InvalidEndpointException(where + ": version of " + model.asText() + " must be an integer");
      }
      return new ModelTarget(model.asText(), VersionSelector.version(node.get("version").asLong()));
    }
    if (hasLabel) {
      if (!node.get("label").isTextual() || node.get("label").asText().isBlank()) {
        throw new InvalidEndpointException(where + ": label of " + model.asText() + " must be a name");
      }
      return new ModelTarget(model.asText(), VersionSelector.label(node.get("label").asText()));
    }
    return new ModelTarget(model.asText(), VersionSelector.defaultVersion());
  }

  private static double number(JsonNode node, String key, String where) {
    JsonNode value = node.path(key);
    if (!value.isNumber()) {
      throw new InvalidEndpointException(where + ": " + key + " (a number) is required for "
          + node.path("model").asText("an entry"));
    }
    if (key.equals("weight") && !value.canConvertToInt()) {
      throw new InvalidEndpointException(where + ": weight must be an integer");
    }
    return value.asDouble();
  }

  private static List<JsonNode> list(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidEndpointException(where + " must be a list");
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    return items;
  }

  private static void keys(JsonNode node, String where, Set<String> allowed) {
    if (!node.isObject()) {
      throw new InvalidEndpointException(where + " must be a map");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new InvalidEndpointException(where + ": unknown key '" + key + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }
}
