package dev.swinserve.server.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.swinserve.config.ConfigException;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.config.ConfigValueException;
import dev.swinserve.registry.VersionSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code endpoints.yaml} with the one {@link dev.swinserve.config.ConfigBinder}:
 *
 * <pre>
 * endpoints:
 *   classifier:
 *     arms: [{model: mini, version: 1, weight: 90}, {model: mini, label: canary, weight: 10}]
 *     shadows: [{model: other, label: stable, share: 1.0}]
 * </pre>
 *
 * An arm or shadow names its model and at most one of version and label (neither: the model's
 * default version). {@code shadows} is optional. An unknown or duplicate key, a missing weight or
 * share, or a value of the wrong type is an error that names the key and its line. Stateless.
 */
public final class EndpointsFileReader {

  private EndpointsFileReader() {}

  /**
   * @throws InvalidEndpointException naming the first problem found (the caller names the file)
   */
  public static List<Endpoint> parse(String text) {
    try {
      return ConfigTree.parse(text, "").bind(new FileKeys(), FileKeys::build);
    } catch (ConfigException e) {
      throw new InvalidEndpointException(e.getMessage());
    }
  }

  /** The file's top level. */
  private static final class FileKeys {
    @JsonProperty("endpoints")
    private LinkedHashMap<String, EndpointKeys> endpoints = new LinkedHashMap<>();

    List<Endpoint> build() {
      List<Endpoint> result = new ArrayList<>();
      for (Map.Entry<String, EndpointKeys> entry : endpoints.entrySet()) {
        String where = "endpoints." + entry.getKey();
        EndpointKeys keys = entry.getValue();
        List<Endpoint.Arm> arms = new ArrayList<>();
        for (int i = 0; i < keys.arms.size(); i++) {
          TargetKeys arm = keys.arms.get(i);
          String at = where + ".arms[" + i + "]";
          arms.add(
              checked(
                  at,
                  () -> new Endpoint.Arm(arm.target(at), arm.required(at, "weight", arm.weight))));
        }
        List<Endpoint.Shadow> shadows = new ArrayList<>();
        for (int i = 0; i < keys.shadows.size(); i++) {
          TargetKeys shadow = keys.shadows.get(i);
          String at = where + ".shadows[" + i + "]";
          shadows.add(
              checked(
                  at,
                  () ->
                      new Endpoint.Shadow(
                          shadow.target(at), shadow.required(at, "share", shadow.share))));
        }
        result.add(checked(where, () -> new Endpoint(entry.getKey(), arms, shadows)));
      }
      return result;
    }
  }

  /** One endpoint. */
  private static final class EndpointKeys {
    @JsonProperty("arms")
    private List<TargetKeys> arms = List.of();

    @JsonProperty("shadows")
    private List<TargetKeys> shadows = List.of();
  }

  /** An arm ({@code weight}) or a shadow ({@code share}); each refuses the other's key. */
  private static final class TargetKeys {
    @JsonProperty("model")
    private String model;

    @JsonProperty("version")
    private Long version;

    @JsonProperty("label")
    private String label;

    @JsonProperty("weight")
    private Integer weight;

    @JsonProperty("share")
    private Double share;

    ModelTarget target(String at) {
      if (model == null) {
        throw new ConfigValueException(at + ".model", "(a name) is required");
      }
      if (version != null && label != null) {
        throw new ConfigValueException(at, model + " has both version and label; give one");
      }
      if (label != null && label.isBlank()) {
        throw new ConfigValueException(at + ".label", "of " + model + " must be a name");
      }
      VersionSelector selector =
          version != null
              ? VersionSelector.version(version)
              : label != null ? VersionSelector.label(label) : VersionSelector.defaultVersion();
      return checked(at, () -> new ModelTarget(model, selector));
    }

    <T> T required(String at, String key, T value) {
      boolean other = key.equals("weight") ? share != null : weight != null;
      if (other) {
        throw new ConfigValueException(
            at + "." + (key.equals("weight") ? "share" : "weight"),
            "is an unknown key here (" + key + " is)");
      }
      if (value == null) {
        throw new ConfigValueException(at + "." + key, "(a number) is required for " + model);
      }
      return value;
    }
  }

  /** Runs a constructor of the routing model, naming {@code at} if it refuses. */
  private static <T> T checked(String at, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (InvalidEndpointException e) {
      throw new ConfigValueException(at, e.getMessage());
    }
  }
}
