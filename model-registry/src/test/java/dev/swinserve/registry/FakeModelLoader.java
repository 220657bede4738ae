package dev.swinserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes {@link FakeServable}s and records every load. Can be told to fail a version's load or
 * warm-up, or to hold it at a {@link Gate} so that LOADING and WARMING can be observed, and what to
 * estimate for a version's memory (0 unless told). Each load advances the clock by a second, as a
 * real load takes time. Thread-safe.
 */
final class FakeModelLoader implements ModelLoader<FakeServable> {

  private final ManualClock clock;
  private final List<ModelVersionId> loads = new CopyOnWriteArrayList<>();
  private final List<FakeServable> servables = new CopyOnWriteArrayList<>();
  private final Map<ModelVersionId, String> loadFailures = new ConcurrentHashMap<>();
  private final Map<ModelVersionId, String> warmUpFailures = new ConcurrentHashMap<>();
  private final Map<ModelVersionId, Gate> loadGates = new ConcurrentHashMap<>();
  private final Map<ModelVersionId, Gate> warmUpGates = new ConcurrentHashMap<>();
  private final Map<ModelVersionId, Long> estimates = new ConcurrentHashMap<>();
  private final List<ModelVersionId> estimated = new CopyOnWriteArrayList<>();
  private final Map<ModelVersionId, String> estimateFailures = new ConcurrentHashMap<>();

  FakeModelLoader(ManualClock clock) {
    this.clock = clock;
  }

  /** What {@link #estimateResources} says for that version from now on. */
  void estimate(String model, long version, long bytes) {
    estimates.put(new ModelVersionId(model, version), bytes);
  }

  void failEstimate(String model, long version, String message) {
    estimateFailures.put(new ModelVersionId(model, version), message);
  }

  /** Every version whose estimate was asked for, in order. */
  List<ModelVersionId> estimated() {
    return List.copyOf(estimated);
  }

  void failLoad(String model, long version, String message) {
    loadFailures.put(new ModelVersionId(model, version), message);
  }

  void failWarmUp(String model, long version, String message) {
    warmUpFailures.put(new ModelVersionId(model, version), message);
  }

  /** Lets later loads of this version succeed again. */
  void heal(String model, long version) {
    loadFailures.remove(new ModelVersionId(model, version));
    warmUpFailures.remove(new ModelVersionId(model, version));
  }

  Gate holdLoad(String model, long version) {
    return loadGates.computeIfAbsent(new ModelVersionId(model, version), id -> new Gate());
  }

  Gate holdWarmUp(String model, long version) {
    return warmUpGates.computeIfAbsent(new ModelVersionId(model, version), id -> new Gate());
  }

  /** Every load so far, in order, including failed ones. */
  List<ModelVersionId> loads() {
    return List.copyOf(loads);
  }

  long loadsOf(String model, long version) {
    return loads.stream().filter(new ModelVersionId(model, version)::equals).count();
  }

  /** Every servable made so far, in order. */
  List<FakeServable> servables() {
    return List.copyOf(servables);
  }

  /** The servable of this version's latest load. */
  FakeServable servable(String model, long version) {
    ModelVersionId id = new ModelVersionId(model, version);
    return servables.stream()
        .filter(servable -> servable.id().equals(id))
        .reduce((earlier, later) -> later)
        .orElseThrow(() -> new AssertionError(id + " was never loaded"));
  }

  @Override
  public FakeServable load(ModelVersionId id, Path versionDirectory, ModelConfig config) {
    loads.add(id);
    clock.advance(Duration.ofSeconds(1));
    Gate gate = loadGates.remove(id);
    if (gate != null) {
      gate.pass();
    }
    String failure = loadFailures.get(id);
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    FakeServable servable = new FakeServable(id, versionDirectory, config, () -> warmUp(id));
    servables.add(servable);
    return servable;
  }

  @Override
  public long estimateResources(Path versionDirectory, ModelConfig config) {
    ModelVersionId id =
        new ModelVersionId(
            versionDirectory.getParent().getFileName().toString(),
            Long.parseLong(versionDirectory.getFileName().toString()));
    estimated.add(id);
    String failure = estimateFailures.get(id);
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return estimates.getOrDefault(id, 0L);
  }

  private void warmUp(ModelVersionId id) {
    Gate gate = warmUpGates.remove(id);
    if (gate != null) {
      gate.pass();
    }
    String failure = warmUpFailures.get(id);
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }
}
