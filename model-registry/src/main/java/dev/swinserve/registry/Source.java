package dev.swinserve.registry;

import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link ModelRegistry} learns which model versions exist, after TensorFlow Serving's
 * {@code Source}: it emits, to the callback the registry gives it, the {@link AspiredVersions} it
 * offers now, whenever they change. {@link FileSystemSource} reads a repository on disk; other
 * sources may read anything (a database, an object store, a test's map).
 *
 * <p>The registry owns its source: it sets the callback once, calls {@link #refresh()} at start and
 * on {@link ModelRegistry#reload()}, then {@link #start()}, and {@link #close()} when it closes.
 * Implementations must be thread-safe, and must call the callback one call at a time, in the order
 * they read what they emit (an older read emitted last would undo a newer one).
 */
public interface Source extends AutoCloseable {

  /** Where to emit; called once, before any other method. */
  void setAspiredVersionsCallback(AspiredVersionsCallback callback);

  /**
   * Reads what the source offers now and emits it, before returning.
   *
   * @return what the callback returned: done once the loads the emission started have finished
   * @throws RegistryException if the source cannot be read at all (nothing is emitted)
   */
  CompletableFuture<Void> refresh();

  /** From now on, emits on its own whenever what it offers changes (say, by polling). */
  void start();

  /** Stops emitting on its own; idempotent. */
  @Override
  void close();
}
