package dev.swinserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What most registry tests share: a repository in a temporary directory, a fake loader, a manual
 * clock and a recording listener; closes every registry it made.
 */
final class RegistryFixture implements AutoCloseable {

  final TestRepository repository;
  final ManualClock clock = new ManualClock();
  final FakeModelLoader loader = new FakeModelLoader(clock);
  final RecordingListener listener = new RecordingListener();
  private final List<ModelRegistry<FakeServable>> registries = new ArrayList<>();

  RegistryFixture(Path root) {
    this.repository = new TestRepository(root);
  }

  /** No polling (tests call reload()), two load threads, a 5 s unload timeout. */
  RegistryConfig config() {
    return new RegistryConfig(repository.root(), Duration.ZERO, 2, Duration.ofSeconds(5));
  }

  ModelRegistry<FakeServable> create(RegistryConfig config) {
    return track(new ModelRegistry<>(config, loader, clock));
  }

  private ModelRegistry<FakeServable> track(ModelRegistry<FakeServable> registry) {
    registry.addListener(listener);
    registries.add(registry);
    return registry;
  }

  /** A registry fed by {@code source} instead of the repository. */
  ModelRegistry<FakeServable> create(RegistryConfig config, Source source) {
    return track(new ModelRegistry<>(config, source, loader, clock));
  }

  ModelRegistry<FakeServable> create() {
    return create(config());
  }

  ModelRegistry<FakeServable> start() {
    ModelRegistry<FakeServable> registry = create();
    registry.start();
    return registry;
  }

  /** Runs start() on another thread, for tests that hold a load at a gate. */
  static CompletableFuture<Void> startInBackground(ModelRegistry<FakeServable> registry) {
    return CompletableFuture.runAsync(registry::start);
  }

  /** Version to state, for compact assertions. */
  static Map<Long, VersionState> states(ModelStatus status) {
    Map<Long, VersionState> states = new TreeMap<>();
    status.versions().forEach(version -> states.put(version.version(), version.state()));
    return states;
  }

  static VersionStatus version(ModelStatus status, long version) {
    return status.versions().stream()
        .filter(each -> each.version() == version)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(status.name() + " has no version " + version + ": " + status));
  }

  /** Acquires, reads the version and releases. */
  static long resolve(
      ModelRegistry<FakeServable> registry, String model, VersionSelector selector) {
    try (ModelHandle<FakeServable> handle = registry.acquire(model, selector)) {
      return handle.id().version();
    }
  }

  @Override
  public void close() {
    registries.forEach(ModelRegistry::close);
  }
}
