package dev.swinserve.server.routing;

import dev.swinserve.registry.VersionSelector;
import java.util.Objects;

/**
 * One model version an arm sends requests to, as the registry resolves it at call time: a model
 * name and a version, a label, or the default version. The model need not exist when the target is
 * configured; a call to a missing one fails with the registry's not-found error.
 */
public record ModelTarget(String model, VersionSelector version) {

  /** Longest model name, label or endpoint name; the repository allows no longer model names. */
  public static final int MAX_NAME_LENGTH = 128;

  public ModelTarget {
    Objects.requireNonNull(version, "version");
    if (model == null || model.isBlank()) {
      throw new InvalidEndpointException("an arm's model name is required");
    }
    if (model.length() > MAX_NAME_LENGTH) {
      throw new InvalidEndpointException(
          "an arm's model name "
              + Endpoint.shown(model)
              + " is longer than the limit of "
              + MAX_NAME_LENGTH
              + " characters");
    }
    if (version instanceof VersionSelector.Label label
        && label.label().length() > MAX_NAME_LENGTH) {
      throw new InvalidEndpointException(
          "an arm's label "
              + Endpoint.shown(label.label())
              + " is longer than the limit of "
              + MAX_NAME_LENGTH
              + " characters");
    }
  }

  /** {@code model@3}, {@code model@canary} or {@code model}: the arm's name in metrics. */
  @Override
  public String toString() {
    if (version instanceof VersionSelector.Version number) {
      return model + "@" + number.version();
    }
    if (version instanceof VersionSelector.Label label) {
      return model + "@" + label.label();
    }
    return model;
  }
}
