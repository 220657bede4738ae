package dev.swinserve.registry;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves the models in a repository laid out as {@code <root>/<model>/<version>/}: finds them,
 * loads and warms up the versions each model's policy selects, resolves requests to versions,
 * swaps in new versions without a gap, and unloads old ones once no call holds them.
 *
 * <p>Thread-safe. {@link #acquire}, {@link #status} and {@link #list} take no lock: they read an
 * immutable snapshot that is replaced after every change. Loads and warm-ups run on {@link
 * RegistryConfig#loadThreads()} daemon threads; servables are closed on another daemon thread.
 *
 * <p>What serves: the versions each model's {@link VersionPolicy} selects from those on disk (the
 * latest one without a {@code model.yaml}), plus the versions its labels point at, so that a
 * labelled version is not retired under its label. Labels set with {@link #setLabel} win over
 * the file's until the registry is recreated (or {@link #removeLabel} removes them). Swaps
 * preserve availability: a version that is no longer selected, or whose directory was removed,
 * keeps serving until every selected version has finished loading, and keeps serving in place of
 * a selected version that FAILED (see {@link AvailabilityPreservingPolicy}). A retired version
 * takes no new handles and is closed once its last handle is. A request without a version gets
 * the version labelled {@code stable} if it is AVAILABLE, else the newest AVAILABLE version; a
 * label whose version is gone or FAILED is reported in {@link ModelStatus#danglingLabels()}.
 * A version that failed is not retried while its directory stays as it was; replacing the
 * directory, or adding or removing entries in it, makes the next scan try again. A broken {@code
 * model.yaml} leaves the model on its last good configuration and is reported in {@link
 * ModelStatus#error()}; when there never was a good one, the model loads nothing.
 *
 * @param <S> what a loaded version is
 */
public final class ModelRegistry<S extends Servable> implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ModelRegistry.class.getName());

  private final RegistryConfig config;
  private final RepositoryScanner scanner;
  private final ListenerNotifier notifier = new ListenerNotifier();
  private final ThreadPoolExecutor loadPool;
  private final VersionLifecycle<S> lifecycle;
  private final Function<String, ThreadFactory> threads;
  private final Object scanLock = new Object();
  private final Object startStopLock = new Object();
  private boolean started; // guarded by startStopLock
  private ScheduledExecutorService poller; // guarded by startStopLock
  private String pollFailure; // only touched by the poller thread

  /**
   * Creates a registry that does nothing until {@link #start()}.
   *
   * @param clock times loads for the logs
   */
  public ModelRegistry(RegistryConfig config, ModelLoader<S> loader, Clock clock) {
    this(config, loader, clock, DaemonThreadFactory::new);
  }

  /**
   * Creates a registry that does nothing until {@link #start()}, whose threads {@code threads}
   * makes (an embedding server names its threads its own way).
   *
   * @param clock times loads for the logs
   * @param threads the factory of daemon threads for a use: {@code model-loader}, {@code
   *     model-unloader}, {@code model-repository-poller}
   */
  public ModelRegistry(RegistryConfig config, ModelLoader<S> loader, Clock clock,
      Function<String, ThreadFactory> threads) {
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(clock, "clock");
    this.threads = Objects.requireNonNull(threads, "threads");
    this.scanner = new RepositoryScanner(config.root());
    int loadThreads = config.loadThreads();
    this.loadPool = new ThreadPoolExecutor(loadThreads, loadThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads.apply("model-loader"));
    loadPool.allowCoreThreadTimeOut(true);
    // Never shut down, so that a handle closed after close() still gets its version unloaded;
    // with no core thread it holds no thread while idle.
    ThreadPoolExecutor unloader = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads.apply("model-unloader"));
    this.lifecycle = new VersionLifecycle<>(loader, clock, loadPool, unloader, notifier);
  }

  /**
   * Scans the repository and blocks until every selected version is AVAILABLE or FAILED; then,
   * if {@link RegistryConfig#pollInterval()} is positive, rescans at that interval in the
   * background. A version that fails does not make this fail; see {@link #list()}.
   *
   * @throws RegistryException if the repository root cannot be read
   * @throws IllegalStateException if already started, or closed
   */
  public void start() {
    synchronized (startStopLock) {
      if (lifecycle.isClosed()) {
        throw new IllegalStateException("the model registry is closed");
      }
      if (started) {
        throw new IllegalStateException("the model registry is already started");
      }
      started = true;
    }
    LOG.log(Level.INFO, "serving models from " + config.root());
    try {
      awaitLoads(scan());
    } catch (RegistryException e) {
      synchronized (startStopLock) {
        started = false; // nothing was loaded, so a later start() may try again
      }
      throw e;
    }
    Duration interval = config.pollInterval();
    synchronized (startStopLock) {
      if (interval.isZero() || lifecycle.isClosed()) {
        return;
      }
      poller = Executors.newSingleThreadScheduledExecutor(threads.apply("model-repository-poller"));
      poller.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * A handle on the version {@code selector} picks; close it when the call is done. Cheap and
   * lock-free: meant for every request.
   *
   * @throws ModelNotFoundException if the model, version or label does not exist
   * @throws ModelUnavailableException if it exists but has no available version to offer now
   */
  public ModelHandle<S> acquire(String model, VersionSelector selector) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(selector, "selector");
    while (true) {
      ModelHandle<S> handle = lifecycle.snapshot().resolve(model, selector).tryAcquire();
      if (handle != null) {
        return handle;
      }
      // The version drained after the snapshot we read was replaced; the newer one knows.
    }
  }

  /** Every model, sorted by name. */
  public List<ModelStatus> list() {
    return lifecycle.snapshot().statuses();
  }

  /** Whether there is a model of that name. Cheap and lock-free, unlike a failed {@link #status}. */
  public boolean contains(String model) {
    return lifecycle.snapshot().names().contains(model);
  }

  /** @throws ModelNotFoundException if there is no such model */
  public ModelStatus status(String model) {
    return lifecycle.snapshot().model(model).status();
  }

  /**
   * Points {@code label} at {@code version}, overriding {@code model.yaml} until the registry is
   * recreated. The version the label pointed at before may retire if nothing else keeps it.
   *
   * @return the model's status after the change
   * @throws InvalidNameException if the label name is not {@code [a-z0-9][a-z0-9_-]*} of at
   *     most 64 characters
   * @throws ModelNotFoundException if the model or version does not exist
   * @throws ModelUnavailableException if the version exists but is not AVAILABLE
   */
  public ModelStatus setLabel(String model, String label, long version) {
    return lifecycle.setLabel(model, label, version);
  }

  /**
   * Removes a label set with {@link #setLabel}. Where the model's {@code model.yaml} sets the same
   * label, the file's value applies again. The version the label pointed at may retire if nothing
   * else keeps it.
   *
   * @return the model's status after the change
   * @throws InvalidNameException if the label name is not valid
   * @throws ModelNotFoundException if the model or label does not exist
   * @throws LabelInConfigException if only the model's {@code model.yaml} sets the label: the file
   *     must change instead
   */
  public ModelStatus removeLabel(String model, String label) {
    return lifecycle.removeLabel(model, label);
  }

  /**
   * What the last scan refused or could not read at the repository level: folders whose names
   * are not valid model names, model folders that are symbolic links leading outside the
   * repository, model folders that cannot be listed. Problems inside a model's folder are in its
   * {@link ModelStatus#problems()}.
   */
  public List<RepositoryProblem> problems() {
    return lifecycle.snapshot().problems();
  }

  /**
   * Rescans the repository now and returns once every load this scan started has finished.
   *
   * @return every model's status afterwards
   * @throws RegistryException if the repository root cannot be read
   * @throws IllegalStateException if the registry is closed
   */
  public List<ModelStatus> reload() {
    if (lifecycle.isClosed()) {
      throw new IllegalStateException("the model registry is closed");
    }
    awaitLoads(scan());
    return list();
  }

  /** Adds a listener for changes from now on; see {@link RegistryListener} for how it is called. */
  public void addListener(RegistryListener listener) {
    notifier.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Stops polling, retires every version and waits, up to {@link RegistryConfig#unloadTimeout()},
   * for open handles to close and running loads to finish; then closes what is left regardless
   * (logging each such version). Idempotent. Afterwards {@link #acquire} fails with {@link
   * ModelUnavailableException}.
   */
  @Override
  public void close() {
    if (!lifecycle.beginClose()) {
      return;
    }
    synchronized (startStopLock) {
      if (poller != null) {
        poller.shutdown();
      }
    }
    loadPool.shutdown();
    if (!lifecycle.awaitDrained(config.unloadTimeout())) {
      lifecycle.forceClose(config.unloadTimeout());
      // Interrupt hung loaders; run the loads that never started, which see the registry closed
      // and finish at once, so that nothing waits on them forever.
      loadPool.shutdownNow().forEach(Runnable::run);
    }
    LOG.log(Level.INFO, "model registry closed");
  }

  private List<CompletableFuture<Void>> scan() {
    List<CompletableFuture<Void>> loads;
    synchronized (scanLock) {
      loads = lifecycle.apply(scanner.scan());
    }
    // Outside the scan lock, so that a listener may call reload() or wait for a thread that does.
    notifier.deliver();
    return loads;
  }

  private void poll() {
    try {
      scan();
      if (pollFailure != null) {
        LOG.log(Level.INFO, "the model repository " + config.root() + " is readable again");
        pollFailure = null;
      }
    } catch (RuntimeException e) {
      // Nothing changes when a scan fails: an unreadable repository must not unload every model.
      if (!String.valueOf(e.getMessage()).equals(pollFailure)) {
        LOG.log(Level.WARNING, "scanning the model repository failed; will retry", e);
        pollFailure = String.valueOf(e.getMessage());
      }
    }
  }

  private static void awaitLoads(List<CompletableFuture<Void>> loads) {
    CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
  }
}
