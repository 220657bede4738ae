package dev.swinserve.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a model as the registry sees it at one moment.
 *
 * @param error why the version {@link VersionState#FAILED}, or why a {@link VersionState#LOADING}
 *     version has not begun to load (it waits for room in the memory budget, e.g. "waiting for
 *     memory: needs 300 MiB, 200 MiB of the 1024 MiB memory budget free"); empty otherwise
 * @param labels the labels that point at this version, sorted
 */
public record VersionStatus(
    long version, VersionState state, Optional<String> error, List<String> labels) {

  public VersionStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
    labels = List.copyOf(labels);
  }
}
