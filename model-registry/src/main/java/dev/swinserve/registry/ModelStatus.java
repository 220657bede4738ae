package dev.swinserve.registry;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One model as the registry sees it at one moment. Immutable.
 *
 * @param versions the versions the registry tracks (loading, serving, failed, retiring or
 *     unloaded; not those on disk that the version policy leaves alone), by ascending number
 * @param labels label to version, sorted by label: the model's {@code model.yaml} labels with the
 *     ones set at run time on top
 * @param defaultVersion what {@link VersionSelector#defaultVersion()} resolves to now; empty when
 *     it resolves to nothing available
 * @param error the model-level problem, if any, e.g. a {@code model.yaml} that does not parse
 *     (the model keeps its last good configuration meanwhile)
 */
public record ModelStatus(
    String name,
    List<VersionStatus> versions,
    Map<String, Long> labels,
    OptionalLong defaultVersion,
    Optional<String> error) {

  public ModelStatus {
    Objects.requireNonNull(name, "name");
    versions = List.copyOf(versions);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    Objects.requireNonNull(defaultVersion, "defaultVersion");
    Objects.requireNonNull(error, "error");
  }

  /** Whether some version is {@link VersionState#AVAILABLE}. */
  public boolean serving() {
    return versions.stream().anyMatch(version -> version.state() == VersionState.AVAILABLE);
  }
}
