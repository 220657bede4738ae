package dev.swinserve.registry;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A counted reference to one available model version. While any handle on a version is open, the
 * registry does not close that version's servable, even if the version is retired meanwhile; so
 * hold a handle for exactly as long as a call uses the servable, in try-with-resources.
 *
 * <p>Thread-safe. {@link #close()} is idempotent: the first call releases the reference, later
 * calls do nothing. A handle that is never closed keeps its version from unloading until the
 * registry closes (which waits up to {@link RegistryConfig#unloadTimeout()}).
 *
 * @param <S> what a loaded version is
 */
public final class ModelHandle<S> implements AutoCloseable {

  private final ModelVersionId id;
  private final S servable;
  private final Runnable release;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Made by the registry; public so that code using the registry can make handles in its tests.
   *
   * @param release runs once, on the first {@link #close()}
   */
  public ModelHandle(ModelVersionId id, S servable, Runnable release) {
    this.id = Objects.requireNonNull(id, "id");
    this.servable = Objects.requireNonNull(servable, "servable");
    this.release = Objects.requireNonNull(release, "release");
  }

  /** The version this handle holds, which is what a response should name. */
  public ModelVersionId id() {
    return id;
  }

  /**
   * The loaded version, valid until this handle is closed.
   *
   * @throws IllegalStateException if the handle is closed, since the servable may be gone
   */
  public S servable() {
    if (closed.get()) {
      throw new IllegalStateException("the handle on " + id + " is closed");
    }
    return servable;
  }

  /** Releases the reference; the first call only. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release.run();
    }
  }

  @Override
  public String toString() {
    return "ModelHandle[" + id + (closed.get() ? ", closed]" : "]");
  }
}
