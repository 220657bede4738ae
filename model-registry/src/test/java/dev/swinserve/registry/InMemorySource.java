package dev.swinserve.registry;

import dev.swinserve.registry.AspiredVersions.AspiredModel;
import dev.swinserve.registry.AspiredVersions.AspiredVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Source} that offers what a test puts in a map, with no file system: a version's location
 * is {@code memory/<model>/<version>} and its revision a number that {@link #replace} raises. Emits
 * on {@link ModelRegistry#reload()} and when the test calls {@link #emit()}, from the test's
 * thread, as a source with a thread of its own would. Thread-safe.
 */
final class InMemorySource implements Source {

  private final Map<String, Map<Long, AspiredVersion>> models = new TreeMap<>();
  private final Map<String, ModelConfig> configs = new TreeMap<>();
  private AspiredVersionsCallback callback;
  private int revisions;
  private boolean started;
  private boolean closed;

  synchronized void offer(String model, long version) {
    models
        .computeIfAbsent(model, name -> new TreeMap<>())
        .put(
            version,
            new AspiredVersion(
                version, Path.of("memory", model, Long.toString(version)), ++revisions));
  }

  /** Offers the version again with other contents, as a replaced directory would be. */
  synchronized void replace(String model, long version) {
    offer(model, version);
  }

  synchronized void withdraw(String model, long version) {
    models.get(model).remove(version);
  }

  synchronized void remove(String model) {
    models.remove(model);
  }

  synchronized void configure(String model, ModelConfig config) {
    configs.put(model, config);
  }

  /** Emits everything offered now; see {@link AspiredVersionsCallback#setAspiredVersions}. */
  synchronized CompletableFuture<Void> emit() {
    Map<String, AspiredModel> aspired = new TreeMap<>();
    models.forEach(
        (name, versions) ->
            aspired.put(
                name,
                new AspiredModel(
                    name,
                    versions,
                    Optional.of(configs.getOrDefault(name, ModelConfig.defaults())),
                    Optional.empty(),
                    "memory/" + name,
                    List.of())));
    return callback.setAspiredVersions(AspiredVersions.of(aspired));
  }

  synchronized boolean started() {
    return started;
  }

  synchronized boolean closed() {
    return closed;
  }

  @Override
  public synchronized void setAspiredVersionsCallback(AspiredVersionsCallback callback) {
    this.callback = callback;
  }

  @Override
  public CompletableFuture<Void> refresh() {
    return emit();
  }

  @Override
  public synchronized void start() {
    started = true;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
