package dev.swinserve.registry;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Unload and load on request, after Triton's explicit model control; {@link ModelRegistry#unload}
 * and {@link ModelRegistry#load} say what they do. An unload is a flag on the model that leaves it
 * nothing to serve, so the {@link AvailabilityPreservingPolicy} retires its versions and loads none
 * until a load clears it; a load then rescans through the source and waits for the model's selected
 * versions to settle. Thread-safe: the waits are on the lifecycle's lock.
 */
final class ModelControl<S extends Servable> {

  private static final System.Logger LOG = System.getLogger(ModelControl.class.getName());

  /** No bound: a load waits for its loaders, as {@link ModelRegistry#reload()} does. */
  private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

  private final VersionLifecycle<S> lifecycle;
  private final Supplier<CompletableFuture<Void>> refresh;
  private final Duration unloadTimeout;

  /**
   * @param refresh has the source emit what it offers now; done once the loads it started finished
   * @param unloadTimeout how long an unload waits for the versions' last calls
   */
  ModelControl(
      VersionLifecycle<S> lifecycle,
      Supplier<CompletableFuture<Void>> refresh,
      Duration unloadTimeout) {
    this.lifecycle = lifecycle;
    this.refresh = refresh;
    this.unloadTimeout = unloadTimeout;
  }

  ModelStatus unload(String model) {
    ModelStatus after = lifecycle.unload(model);
    LOG.log(
        Level.INFO,
        "model '" + model + "' unloaded on request; it serves nothing until it is loaded again");
    return lifecycle.awaitModel(model, ModelControl::idle, unloadTimeout).orElse(after);
  }

  ModelStatus load(String model) {
    boolean wasUnloaded = lifecycle.beginLoad(model);
    refresh.get().join();
    ModelStatus status =
        lifecycle
            .awaitModel(model, ModelControl::settled, FOREVER)
            .orElseThrow(() -> lifecycle.snapshot().notFound(model));
    Optional<String> failure = failure(status);
    if (failure.isEmpty()) {
      LOG.log(Level.INFO, "model '" + model + "' loaded on request");
      return status;
    }
    if (wasUnloaded) {
      unload(model); // as it was: no version of a failed load serves
    }
    LOG.log(Level.WARNING, failure.get());
    throw new ModelUnavailableException(failure.get());
  }

  /** Whether no version is loading, serving or unloading. */
  private static boolean idle(ModelEntry<?> entry) {
    return entry.versions().values().stream()
        .allMatch(
            managed ->
                managed.state() == VersionState.UNLOADED || managed.state() == VersionState.FAILED);
  }

  /** Whether every version the model should serve is AVAILABLE, FAILED or waiting for memory. */
  private static boolean settled(ModelEntry<?> entry) {
    for (long version : entry.desired()) {
      ManagedVersion<?> managed = entry.versions().get(version);
      if (managed == null) {
        return false;
      }
      VersionState state = managed.state();
      if (state != VersionState.AVAILABLE
          && state != VersionState.FAILED
          && !managed.awaitsMemory()) {
        return false;
      }
    }
    return true;
  }

  /** Why a model that was just loaded does not serve as selected; empty if it does. */
  private static Optional<String> failure(ModelStatus status) {
    List<String> reasons = new ArrayList<>();
    status.error().ifPresent(reasons::add);
    for (VersionStatus version : status.versions()) {
      if (version.state() == VersionState.FAILED || version.state() == VersionState.LOADING) {
        reasons.add(
            "version "
                + version.version()
                + " "
                + version.state()
                + ": "
                + version.error().orElse("no reason given"));
      }
    }
    if (reasons.isEmpty() && !status.serving()) {
      reasons.add(status.unloaded() ? "it was unloaded meanwhile" : "it has no version to serve");
    }
    if (reasons.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("model '" + status.name() + "' did not load: " + String.join("; ", reasons));
  }
}
