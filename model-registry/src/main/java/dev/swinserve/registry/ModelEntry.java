package dev.swinserve.registry;

import dev.swinserve.registry.AspiredVersions.AspiredModel;
import dev.swinserve.registry.AspiredVersions.AspiredVersion;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One model's mutable state in the registry: its last good configuration, the labels set at run
 * time, what its {@link Source} last offered and the versions being tracked. Not thread-safe;
 * guarded by the registry's lock.
 */
final class ModelEntry<S extends Servable> {

  static final String STABLE = "stable";
  private static final System.Logger LOG = System.getLogger(ModelEntry.class.getName());

  private final String name;
  private final Map<String, Long> runtimeLabels = new TreeMap<>();
  private final TreeMap<Long, ManagedVersion<S>> versions = new TreeMap<>();
  private Map<Long, AspiredVersion> offered = Map.of();
  private List<RepositoryProblem> problems = List.of();
  private String configLocation;
  private boolean offeredBySource;
  // Null until a model.yaml (or its absence) has been read successfully.
  private ModelConfig config;
  private String configError;
  private boolean unloaded;

  ModelEntry(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** The configuration new loads get; null while no good configuration has been seen. */
  ModelConfig config() {
    return config;
  }

  /**
   * Takes in what the source offers; a broken model.yaml leaves the last good configuration in
   * force.
   */
  void update(AspiredModel aspired) {
    offeredBySource = true;
    configLocation = aspired.configLocation();
    offered = aspired.versions();
    problems = aspired.problems();
    aspired.config().ifPresent(good -> config = good);
    String error = aspired.configError().orElse(null);
    if (error != null && !error.equals(configError)) {
      LOG.log(
          Level.WARNING,
          config == null
              ? error + "; model '" + name + "' is not loaded until the file is fixed"
              : error + "; model '" + name + "' keeps its last good configuration");
    } else if (error == null && configError != null) {
      LOG.log(Level.INFO, "the model.yaml of model '" + name + "' is valid again");
    }
    configError = error;
  }

  /** The source no longer offers the model (or the registry is closing): everything will retire. */
  void vanish() {
    offeredBySource = false;
    offered = Map.of();
    problems = List.of();
  }

  /**
   * Unloaded on request: nothing is desired until {@link #load()}, so every version retires. What
   * the source offers is still taken in, and failed versions keep their reasons.
   */
  void unload() {
    unloaded = true;
  }

  /**
   * Loaded on request: desired again, and versions that failed are forgotten so that the next plan
   * tries them again.
   */
  void load() {
    unloaded = false;
    versions.values().removeIf(managed -> managed.state() == VersionState.FAILED);
  }

  boolean unloaded() {
    return unloaded;
  }

  /** Whether nothing is left to track, so the entry can be dropped. */
  boolean isGone() {
    return !offeredBySource && versions.isEmpty();
  }

  /** The versions the source offers now (for the file system: whose directories exist). */
  Map<Long, AspiredVersion> offered() {
    return offered;
  }

  /**
   * What should serve: what the version policy selects, plus the versions labels point at, so that
   * a labelled version (say {@code stable}) is not retired under its label. Nothing while the model
   * is unloaded on request.
   */
  Set<Long> desired() {
    if (config == null || unloaded) {
      return Set.of();
    }
    Set<Long> desired = new TreeSet<>(config.versionPolicy().select(offered.keySet()));
    labels().values().stream().filter(offered::containsKey).forEach(desired::add);
    return desired;
  }

  Map<Long, ManagedVersion<S>> versions() {
    return versions;
  }

  Map<Long, VersionState> states() {
    Map<Long, VersionState> states = new TreeMap<>();
    versions.forEach((version, managed) -> states.put(version, managed.state()));
    return states;
  }

  /**
   * Stops tracking failed versions whose revision changed since they failed (for the file system:
   * their directory), so that the next plan loads them again: a fixed or replaced version gets
   * another chance, an unchanged one does not fail over and over.
   */
  void forgetChangedFailures() {
    versions
        .values()
        .removeIf(
            managed -> {
              AspiredVersion now = offered.get(managed.version());
              return managed.state() == VersionState.FAILED
                  && now != null
                  && !now.sameRevisionAs(managed.aspired());
            });
  }

  void setRuntimeLabel(String label, long version) {
    runtimeLabels.put(label, version);
  }

  /**
   * Removes a label set at run time; where the model.yaml sets the same label, the file's value
   * applies again.
   *
   * @throws ModelNotFoundException if the model has no such label
   * @throws LabelInConfigException if only the model.yaml sets it
   */
  void removeRuntimeLabel(String label) {
    if (runtimeLabels.remove(label) != null) {
      return;
    }
    if (config != null && config.labels().containsKey(label)) {
      throw new LabelInConfigException(
          "label "
              + Names.quoted(label)
              + " of model '"
              + name
              + "' is set in "
              + configLocation
              + "; remove it from that file instead");
    }
    throw ModelView.noSuchLabel(name, label, labels());
  }

  /** The model.yaml labels with the run-time ones on top. */
  Map<String, Long> labels() {
    Map<String, Long> labels = new TreeMap<>(config == null ? Map.of() : config.labels());
    labels.putAll(runtimeLabels);
    return labels;
  }

  ModelStatus status() {
    Map<String, Long> labels = labels();
    List<VersionStatus> statuses = new ArrayList<>();
    for (ManagedVersion<S> managed : versions.values()) {
      List<String> pointing =
          labels.entrySet().stream()
              .filter(label -> label.getValue() == managed.version())
              .map(Map.Entry::getKey)
              .toList();
      statuses.add(
          new VersionStatus(managed.version(), managed.state(), managed.error(), pointing));
    }
    return new ModelStatus(
        name,
        statuses,
        labels,
        defaultVersion(labels),
        Optional.ofNullable(configError),
        danglingLabels(labels),
        problems,
        unloaded);
  }

  /** See {@link ModelStatus#danglingLabels()}. */
  private List<String> danglingLabels(Map<String, Long> labels) {
    List<String> dangling = new ArrayList<>();
    labels.forEach(
        (label, version) -> {
          ManagedVersion<S> managed = versions.get(version);
          VersionState state = managed == null ? null : managed.state();
          if (state == VersionState.FAILED
              || (state != VersionState.AVAILABLE && !offered.containsKey(version))) {
            dangling.add(label);
          }
        });
    return dangling;
  }

  // The stable version if it serves, else the newest that does: a stable label whose version is
  // gone, failed or still loading must not take the model down.
  private OptionalLong defaultVersion(Map<String, Long> labels) {
    Long stable = labels.get(STABLE);
    if (stable != null) {
      ManagedVersion<S> managed = versions.get(stable);
      if (managed != null && managed.state() == VersionState.AVAILABLE) {
        return OptionalLong.of(stable);
      }
    }
    return versions.descendingMap().values().stream()
        .filter(managed -> managed.state() == VersionState.AVAILABLE)
        .mapToLong(ManagedVersion::version)
        .findFirst();
  }
}
