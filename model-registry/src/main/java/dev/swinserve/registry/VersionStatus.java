package dev.swinserve.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a model as the registry sees it at one moment.
 *
 * @param error why the version {@link VersionState#FAILED}; empty in every other state
 * @param labels the labels that point at this version, sorted
 */
public record VersionStatus(long version, VersionState state, Optional<String> error, List<String> labels) {

  public VersionStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
    labels = List.copyOf(labels);
  }
}
