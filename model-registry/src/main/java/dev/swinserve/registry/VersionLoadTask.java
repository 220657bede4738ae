package dev.swinserve.registry;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Loads and warms up one version on a load thread, with no registry lock held, and reports each
 * step to the {@link VersionLifecycle}. Where the registry has a memory budget, the loader's
 * estimate is asked first and the load runs only if the budget admits it. A servable that was
 * created but failed to warm up is closed here, since nothing else will ever see it.
 */
final class VersionLoadTask<S extends Servable> implements Runnable {

  /** The lifecycle's side of a load: each call is one state change under its lock. */
  interface Steps<S extends Servable> {

    /**
     * False if the load should not run after all (directory gone, or registry closed, meanwhile).
     */
    boolean begin(ManagedVersion<S> version);

    /** Whether estimates are asked for at all: whether the registry has a memory budget. */
    boolean budgeted();

    /**
     * Whether the version may load now that its estimate is known; false if it waits for memory,
     * can never fit, or should not run after all.
     */
    boolean admit(ManagedVersion<S> version, long estimatedBytes);

    void warming(ManagedVersion<S> version);

    void available(ManagedVersion<S> version, S servable);

    void failed(ManagedVersion<S> version, String reason);
  }

  private static final System.Logger LOG = System.getLogger(VersionLoadTask.class.getName());

  private final ManagedVersion<S> version;
  private final ModelConfig config;
  private final ModelLoader<S> loader;
  private final Clock clock;
  private final Steps<S> steps;

  VersionLoadTask(
      ManagedVersion<S> version,
      ModelConfig config,
      ModelLoader<S> loader,
      Clock clock,
      Steps<S> steps) {
    this.version = version;
    this.config = config;
    this.loader = loader;
    this.clock = clock;
    this.steps = steps;
  }

  @Override
  public void run() {
    if (!steps.begin(version) || !admitted()) {
      return;
    }
    LOG.log(Level.INFO, "loading " + version.id() + " from " + version.path());
    Instant began = clock.instant();
    S servable = null;
    try {
      servable = loader.load(version.id(), version.path(), config);
      if (servable == null) {
        throw new IllegalStateException("the loader returned no servable");
      }
      steps.warming(version);
      servable.warmUp();
    } catch (Throwable failure) {
      fail(servable, failure);
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      return;
    }
    steps.available(version, servable);
    LOG.log(
        Level.INFO,
        version.id()
            + " is AVAILABLE, loaded and warmed up in "
            + Duration.between(began, clock.instant()).toMillis()
            + " ms");
  }

  private boolean admitted() {
    if (version.admitted() || !steps.budgeted()) {
      return true;
    }
    long bytes;
    try {
      bytes = loader.estimateResources(version.path(), config);
      if (bytes < 0) {
        throw new IllegalStateException("the loader estimated " + bytes + " bytes");
      }
    } catch (Throwable failure) {
      fail(null, failure);
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      return false;
    }
    return steps.admit(version, bytes);
  }

  private void fail(S servable, Throwable failure) {
    if (servable != null) {
      try {
        servable.close();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    String reason =
        failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    LOG.log(Level.WARNING, version.id() + " FAILED: " + reason, failure);
    steps.failed(version, reason);
  }
}
