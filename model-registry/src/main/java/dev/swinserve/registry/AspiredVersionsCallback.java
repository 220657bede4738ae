package dev.swinserve.registry;

import java.util.concurrent.CompletableFuture;

/**
 * The registry's side of a {@link Source}, after TensorFlow Serving's {@code
 * SetAspiredVersionsCallback}. Returns quickly: it records what is offered and starts loads on the
 * registry's load threads, without running a loader or a registry listener on the caller's thread,
 * so a source may call it while holding its own lock. Thread-safe.
 */
@FunctionalInterface
public interface AspiredVersionsCallback {

  /**
   * Takes in everything the source offers now; see {@link AspiredVersions} for what is served.
   * Ignored once the registry is closed.
   *
   * @return done once every load this call started has finished (the version is AVAILABLE, FAILED,
   *     or waits for room in the memory budget)
   */
  CompletableFuture<Void> setAspiredVersions(AspiredVersions aspired);
}
