package dev.swinserve.registry;

import dev.swinserve.registry.AspiredVersions.AspiredVersion;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One tracked version: its state and, once loaded, its servable and reference count.
 *
 * <p>The reference count is what makes retiring safe without locks on the request path. It is 0
 * while the version loads, becomes 1 (the registry's own reference) when the version becomes
 * available, and goes up by one per open {@link ModelHandle}. Retiring drops the registry's
 * reference; whoever brings the count to 0 hands the version to {@code onDrained}, which closes the
 * servable. {@link #tryAcquire()} never raises the count from 0, so once a version has drained no
 * handle can reach its servable.
 *
 * <p>State, error and memory (the bytes reserved in the {@link MemoryBudget} once admitted, or
 * those a version waits for) are guarded by the registry's lock; the reference count and the
 * servable are safe to use from any thread.
 */
final class ManagedVersion<S extends Servable> {

  private static final System.Logger LOG = System.getLogger(ManagedVersion.class.getName());

  private final ModelVersionId id;
  private final AspiredVersion aspired;
  private final Consumer<ManagedVersion<S>> onDrained;
  private final AtomicInteger references = new AtomicInteger();
  private final AtomicBoolean servableClosed = new AtomicBoolean();
  // Written before the count first becomes positive; read by tryAcquire after it sees that count.
  private volatile S servable;
  private VersionState state = VersionState.LOADING;
  private String error;
  private boolean admitted;
  private long reservedBytes;
  private long awaitedBytes;

  ManagedVersion(ModelVersionId id, AspiredVersion aspired, Consumer<ManagedVersion<S>> onDrained) {
    this.id = id;
    this.aspired = aspired;
    this.onDrained = onDrained;
  }

  ModelVersionId id() {
    return id;
  }

  long version() {
    return id.version();
  }

  Path path() {
    return aspired.location();
  }

  /** What the source offered when this version was made. */
  AspiredVersion aspired() {
    return aspired;
  }

  VersionState state() {
    return state;
  }

  Optional<String> error() {
    return Optional.ofNullable(error);
  }

  void setState(VersionState state, String error) {
    this.state = state;
    this.error = error;
  }

  /** Whether the memory budget admitted it (reserved its estimate); never without a budget. */
  boolean admitted() {
    return admitted;
  }

  /**
   * Lets it load, {@code bytes} having been reserved for it; see {@link MemoryBudget#tryReserve}.
   */
  void reserve(long bytes) {
    reservedBytes = bytes;
    admitted = true;
    awaitedBytes = 0;
    error = null;
  }

  /** What it reserved, now given back; 0 if nothing. */
  long takeReservation() {
    long bytes = reservedBytes;
    reservedBytes = 0;
    return bytes;
  }

  /**
   * Stays LOADING, not loading, until {@code bytes} are free; {@code reason} shows in its status.
   */
  void awaitMemory(long bytes, String reason) {
    awaitedBytes = bytes;
    error = reason;
  }

  /** Whether it waits for memory: LOADING, and not admitted because it did not fit. */
  boolean awaitsMemory() {
    return state == VersionState.LOADING && awaitedBytes > 0;
  }

  long awaitedBytes() {
    return awaitedBytes;
  }

  /** Takes traffic from now on; the registry holds the first reference. */
  void makeAvailable(S loaded) {
    servable = loaded;
    state = VersionState.AVAILABLE;
    error = null;
    references.set(1);
  }

  /** A handle on this version, or null if it has drained (or never became available). */
  ModelHandle<S> tryAcquire() {
    int count;
    do {
      count = references.get();
      if (count == 0) {
        return null;
      }
    } while (!references.compareAndSet(count, count + 1));
    return new ModelHandle<>(id, servable, this::release);
  }

  /** Drops the registry's reference; called once, when the version retires. */
  void releaseRegistryReference() {
    release();
  }

  /**
   * Open handles on a retired version (whose count no longer includes the registry's reference).
   */
  int openHandlesAfterRetiring() {
    return references.get();
  }

  /** Closes the servable unless that already happened; true if this call closed it. */
  boolean closeServable() {
    S loaded = servable;
    if (loaded == null || !servableClosed.compareAndSet(false, true)) {
      return false;
    }
    try {
      loaded.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing " + id + " failed", e);
    }
    return true;
  }

  private void release() {
    int left = references.decrementAndGet();
    if (left == 0) {
      onDrained.accept(this);
    } else if (left < 0) {
      throw new IllegalStateException(id + " released more often than acquired");
    }
  }

  @Override
  public String toString() {
    return id + " " + state;
  }
}
