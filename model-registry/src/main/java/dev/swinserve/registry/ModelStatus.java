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
 * @param versions the versions the registry tracks (loading, serving, failed, retiring or unloaded;
 *     not those on disk that the version policy leaves alone), by ascending number
 * @param labels label to version, sorted by label: the model's {@code model.yaml} labels with the
 *     ones set at run time on top
 * @param defaultVersion what {@link VersionSelector#defaultVersion()} resolves to now: the version
 *     labelled {@code stable} if it is AVAILABLE, else the newest AVAILABLE version; empty when no
 *     version is AVAILABLE
 * @param error the model-level problem, if any, e.g. a {@code model.yaml} that does not parse (the
 *     model keeps its last good configuration meanwhile)
 * @param danglingLabels the labels, sorted, whose version cannot serve and is not on its way: its
 *     directory is gone (and it no longer serves from memory), or it FAILED. A request naming such
 *     a label fails; a request naming no version falls back to the newest AVAILABLE version when
 *     {@code stable} dangles
 * @param problems what the registry refuses or cannot read inside the model's folder, e.g. a
 *     version whose folder or one of whose files is a symbolic link leading outside the repository
 * @param unloaded whether the model was {@linkplain ModelRegistry#unload unloaded} on request: it
 *     serves no version until it is {@linkplain ModelRegistry#load loaded} again, whatever the
 *     repository holds
 */
public record ModelStatus(
    String name,
    List<VersionStatus> versions,
    Map<String, Long> labels,
    OptionalLong defaultVersion,
    Optional<String> error,
    List<String> danglingLabels,
    List<RepositoryProblem> problems,
    boolean unloaded) {

  public ModelStatus {
    Objects.requireNonNull(name, "name");
    versions = List.copyOf(versions);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    Objects.requireNonNull(defaultVersion, "defaultVersion");
    Objects.requireNonNull(error, "error");
    danglingLabels = List.copyOf(danglingLabels);
    problems = List.copyOf(problems);
  }

  /**
   * Whether a request that names no version would be served now, i.e. whether there is a {@link
   * #defaultVersion()}: whether some version is {@link VersionState#AVAILABLE}.
   */
  public boolean serving() {
    return defaultVersion.isPresent();
  }
}
