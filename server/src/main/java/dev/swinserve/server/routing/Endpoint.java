package dev.swinserve.server.routing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A name clients call like a model name, whose requests are split across weighted arms (A/B,
 * canary) and copied to shadow arms. Immutable; validated on construction.
 *
 * @param arms at least one; weights are non-negative with a positive total
 * @param shadows each gets a copy of a {@code share} in [0, 1] of the requests
 */
public record Endpoint(String name, List<Arm> arms, List<Shadow> shadows) {

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (ModelTarget.MAX_NAME_LENGTH - 1) + "}");

  /** A primary arm: gets {@code weight / total weight} of the requests. */
  public record Arm(ModelTarget model, int weight) {
    public Arm {
      if (weight < 0) {
        throw new InvalidEndpointException(
            "arm " + model + ": weight must not be negative, got " + weight);
      }
    }
  }

  /**
   * A shadow arm: gets a copy of {@code share} of the requests; its results are compared, never
   * returned.
   */
  public record Shadow(ModelTarget model, double share) {
    public Shadow {
      if (!(share >= 0 && share <= 1)) {
        throw new InvalidEndpointException(
            "shadow " + model + ": share must be in [0, 1], got " + share);
      }
    }
  }

  public Endpoint {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidEndpointException(
          "endpoint name "
              + shown(name)
              + " is invalid: letters, digits, '.', "
              + "'_' and '-', starting with a letter or digit, at most "
              + ModelTarget.MAX_NAME_LENGTH
              + " characters");
    }
    arms = List.copyOf(arms);
    shadows = List.copyOf(shadows);
    if (arms.isEmpty()) {
      throw new InvalidEndpointException("endpoint " + name + " has no arms");
    }
    long total = arms.stream().mapToLong(Arm::weight).sum();
    if (total <= 0) {
      throw new InvalidEndpointException(
          "endpoint " + name + ": arm weights must have a positive total");
    }
  }

  /**
   * A name a caller gave, quoted, as far as a message should show it: names over {@link
   * ModelTarget#MAX_NAME_LENGTH} are cut to their start and their length.
   */
  static String shown(String name) {
    if (name == null || name.length() <= ModelTarget.MAX_NAME_LENGTH) {
      return "'" + name + "'";
    }
    return "'" + name.substring(0, 32) + "...' (" + name.length() + " characters)";
  }

  /**
   * @throws InvalidEndpointException if {@code name} is longer than any endpoint's can be, naming
   *     the limit
   */
  static void requireBoundedName(String name) {
    if (name.length() > ModelTarget.MAX_NAME_LENGTH) {
      throw new InvalidEndpointException(
          "endpoint name "
              + shown(name)
              + " is longer than the limit of "
              + ModelTarget.MAX_NAME_LENGTH
              + " characters");
    }
  }

  long totalWeight() {
    return arms.stream().mapToLong(Arm::weight).sum();
  }
}
