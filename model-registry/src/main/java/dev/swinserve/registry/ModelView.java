package dev.swinserve.registry;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One model in a {@link RegistrySnapshot}: its status and its available versions. Immutable.
 * Resolves a {@link VersionSelector} to a version, or explains in the exception why it cannot.
 */
record ModelView<S extends Servable>(ModelStatus status, Map<Long, ManagedVersion<S>> available) {

  ModelView {
    available = Map.copyOf(available);
  }

  static <S extends Servable> ModelView<S> of(ModelEntry<S> entry) {
    Map<Long, ManagedVersion<S>> available =
        entry.versions().values().stream()
            .filter(managed -> managed.state() == VersionState.AVAILABLE)
            .collect(Collectors.toMap(ManagedVersion::version, managed -> managed));
    return new ModelView<>(entry.status(), available);
  }

  /**
   * @throws ModelNotFoundException if the version or label does not exist
   * @throws ModelUnavailableException if it exists but is not available
   */
  ManagedVersion<S> resolve(VersionSelector selector) {
    if (selector instanceof VersionSelector.Version version) {
      return requireAvailable(version.version());
    }
    if (selector instanceof VersionSelector.Label label) {
      return byLabel(label.label());
    }
    return defaultVersion();
  }

  /** The version if it is available, else the reason as a not-found or unavailable exception. */
  ManagedVersion<S> requireAvailable(long version) {
    ManagedVersion<S> managed = available.get(version);
    if (managed != null) {
      return managed;
    }
    VersionStatus tracked =
        find(version)
            .orElseThrow(
                () ->
                    new ModelNotFoundException(
                        "model '"
                            + name()
                            + "' has no version "
                            + version
                            + " ("
                            + versionList()
                            + ")"));
    throw new ModelUnavailableException(
        "model '" + name() + "' version " + version + " " + describe(tracked) + unloadedNote());
  }

  // A label's request fails as a request for its version would (NOT_FOUND once the version is
  // gone, UNAVAILABLE while it failed or is not loaded yet), with a message that names the label.
  private ManagedVersion<S> byLabel(String label) {
    Long version = status.labels().get(label);
    if (version == null) {
      throw noSuchLabel(name(), label, status.labels());
    }
    ManagedVersion<S> managed = available.get(version);
    if (managed != null) {
      return managed;
    }
    String pointsAt =
        "label '" + label + "' of model '" + name() + "' points at version " + version;
    Optional<VersionStatus> tracked = find(version);
    boolean dangling = status.danglingLabels().contains(label);
    if (dangling && (tracked.isEmpty() || tracked.get().state() != VersionState.FAILED)) {
      throw new ModelNotFoundException(
          pointsAt
              + ", which is not in the repository (the label dangles;"
              + " set it to an available version or remove it; "
              + versionList()
              + ")");
    }
    if (tracked.isEmpty()) {
      throw new ModelUnavailableException(
          pointsAt + ", which is not loaded yet (" + versionList() + ")");
    }
    throw new ModelUnavailableException(
        pointsAt + ", which " + describe(tracked.get()) + unloadedNote());
  }

  /** The not-found error for a label {@code model} does not have, naming the labels it has. */
  static ModelNotFoundException noSuchLabel(String model, String label, Map<String, Long> labels) {
    String known = labels.isEmpty() ? "it has no labels" : "labels: " + Names.list(labels.keySet());
    return new ModelNotFoundException(
        "model '" + model + "' has no label " + Names.quoted(label) + " (" + known + ")");
  }

  private ManagedVersion<S> defaultVersion() {
    if (status.defaultVersion().isPresent()) {
      ManagedVersion<S> managed = available.get(status.defaultVersion().getAsLong());
      if (managed != null) {
        return managed;
      }
    }
    Long stable = status.labels().get(ModelEntry.STABLE);
    String label =
        stable == null ? "" : "; label '" + ModelEntry.STABLE + "' points at version " + stable;
    if (status.unloaded()) {
      throw new ModelUnavailableException(
          "model '" + name() + "' is unloaded: it serves nothing until it is loaded again");
    }
    throw new ModelUnavailableException(
        "model '" + name() + "' has no available version (" + versionList() + ")" + label);
  }

  private String unloadedNote() {
    return status.unloaded()
        ? "; the model is unloaded: it serves nothing until it is loaded again"
        : "";
  }

  private String name() {
    return status.name();
  }

  private Optional<VersionStatus> find(long version) {
    return status.versions().stream().filter(tracked -> tracked.version() == version).findFirst();
  }

  private String versionList() {
    if (status.versions().isEmpty()) {
      return "no versions";
    }
    return "versions: "
        + Names.list(
            status.versions().stream()
                .map(
                    tracked ->
                        tracked.state() == VersionState.AVAILABLE
                            ? Long.toString(tracked.version())
                            : tracked.version() + " " + tracked.state())
                .toList());
  }

  private static String describe(VersionStatus tracked) {
    return switch (tracked.state()) {
      case FAILED -> "FAILED: " + tracked.error().orElse("no reason given");
      case UNLOADING -> "is UNLOADING (retired)";
      case LOADING -> "is LOADING" + tracked.error().map(reason -> " (" + reason + ")").orElse("");
      default -> "is " + tracked.state();
    };
  }
}
