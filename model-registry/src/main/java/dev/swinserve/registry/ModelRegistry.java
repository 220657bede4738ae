package dev.swinserve.registry;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves the models a {@link Source} offers (by default a {@link FileSystemSource} on a repository
 * laid out as {@code <root>/<model>/<version>/}): loads and warms up the versions each model's
 * policy selects, resolves requests to versions, swaps in new versions without a gap, and unloads
 * old ones once no call holds them. With a {@link RegistryConfig#memoryBudgetBytes() memory
 * budget}, a version whose loader's estimate does not fit beside the versions holding memory waits,
 * LOADING with the reason as its {@link VersionStatus#error()}, until versions are UNLOADED or
 * FAILED; nothing AVAILABLE is ever unloaded to make room.
 *
 * <p>Thread-safe. {@link #acquire}, {@link #status} and {@link #list} take no lock: they read an
 * immutable snapshot that is replaced after every change. Loads and warm-ups run on {@link
 * RegistryConfig#loadThreads()} daemon threads; servables are closed on another daemon thread.
 *
 * <p>What serves: the versions each model's {@link VersionPolicy} selects from those on disk (the
 * latest one without a {@code model.yaml}), plus the versions its labels point at, so that a
 * labelled version is not retired under its label. Labels set with {@link #setLabel} win over the
 * file's until the registry is recreated (or {@link #removeLabel} removes them). Swaps preserve
 * availability: a version that is no longer selected, or whose directory was removed, keeps serving
 * until every selected version has finished loading, and keeps serving in place of a selected
 * version that FAILED (see {@link AvailabilityPreservingPolicy}). A retired version takes no new
 * handles and is closed once its last handle is. A request without a version gets the version
 * labelled {@code stable} if it is AVAILABLE, else the newest AVAILABLE version; a label whose
 * version is gone or FAILED is reported in {@link ModelStatus#danglingLabels()}. A version that
 * failed is not retried while its directory stays as it was; replacing the directory, or adding or
 * removing entries in it, makes the next scan try again. A broken {@code model.yaml} leaves the
 * model on its last good configuration and is reported in {@link ModelStatus#error()}; when there
 * never was a good one, the model loads nothing.
 *
 * @param <S> what a loaded version is
 */
public final class ModelRegistry<S extends Servable> implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ModelRegistry.class.getName());

  private final RegistryConfig config;
  private final Source source;
  private final ListenerNotifier notifier = new ListenerNotifier();
  private final ThreadPoolExecutor loadPool;
  private final ThreadPoolExecutor events;
  private final VersionLifecycle<S> lifecycle;
  private final ModelControl<S> control;
  // Set while this thread runs the source's refresh for start() or reload(), which then tell the
  // listeners themselves; other emissions (a poll) are told on the events thread.
  private final ThreadLocal<Boolean> refreshing = ThreadLocal.withInitial(() -> false);
  private final Object startStopLock = new Object();
  private boolean started; // guarded by startStopLock

  /**
   * Creates a registry on the repository at {@link RegistryConfig#root()}, rescanned every {@link
   * RegistryConfig#pollInterval()}, that does nothing until {@link #start()}.
   *
   * @param clock times loads for the logs
   */
  public ModelRegistry(RegistryConfig config, ModelLoader<S> loader, Clock clock) {
    this(config, loader, clock, DaemonThreadFactory::new);
  }

  /**
   * Creates a registry on the repository at {@link RegistryConfig#root()}, as {@link
   * #ModelRegistry(RegistryConfig, ModelLoader, Clock)} does, whose threads {@code threads} makes
   * (an embedding server names its threads its own way).
   *
   * @param clock times loads for the logs
   * @param threads the factory of daemon threads for a use: {@code model-loader}, {@code
   *     model-unloader}, {@code model-registry-events}, {@code model-repository-poller}
   */
  public ModelRegistry(
      RegistryConfig config,
      ModelLoader<S> loader,
      Clock clock,
      Function<String, ThreadFactory> threads) {
    this(
        config,
        new FileSystemSource(config.root(), config.pollInterval(), threads),
        loader,
        clock,
        threads);
  }

  /**
   * Creates a registry fed by {@code source}, which it owns from now on (it sets the source's
   * callback, starts it and closes it), that does nothing until {@link #start()}. {@link
   * RegistryConfig#root()} and {@link RegistryConfig#pollInterval()} are not used.
   *
   * @param clock times loads for the logs
   */
  public ModelRegistry(RegistryConfig config, Source source, ModelLoader<S> loader, Clock clock) {
    this(config, source, loader, clock, DaemonThreadFactory::new);
  }

  /**
   * Creates a registry fed by {@code source} (see {@link #ModelRegistry(RegistryConfig, Source,
   * ModelLoader, Clock)}) whose threads {@code threads} makes.
   */
  public ModelRegistry(
      RegistryConfig config,
      Source source,
      ModelLoader<S> loader,
      Clock clock,
      Function<String, ThreadFactory> threads) {
    this.config = Objects.requireNonNull(config, "config");
    this.source = Objects.requireNonNull(source, "source");
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(threads, "threads");
    int loadThreads = config.loadThreads();
    this.loadPool =
        new ThreadPoolExecutor(
            loadThreads,
            loadThreads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads.apply("model-loader"));
    loadPool.allowCoreThreadTimeOut(true);
    // Never shut down, so that a handle closed after close() still gets its version unloaded;
    // with no core thread it holds no thread while idle.
    ThreadPoolExecutor unloader =
        new ThreadPoolExecutor(
            0,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads.apply("model-unloader"));
    // Never shut down either, for the same reason.
    this.events =
        new ThreadPoolExecutor(
            0,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads.apply("model-registry-events"));
    this.lifecycle =
        new VersionLifecycle<>(
            loader,
            clock,
            loadPool,
            unloader,
            notifier,
            new MemoryBudget(config.memoryBudgetBytes()));
    this.control = new ModelControl<>(lifecycle, this::refresh, config.unloadTimeout());
    source.setAspiredVersionsCallback(this::take);
  }

  /**
   * Has the source emit what it offers and blocks until every selected version is AVAILABLE, FAILED
   * or waiting for memory; then starts the source emitting on its own (the {@link FileSystemSource}
   * rescans every {@link RegistryConfig#pollInterval()} if that is positive). A version that fails
   * does not make this fail; see {@link #list()}.
   *
   * @throws RegistryException if the source cannot be read (for the file system: the repository
   *     root)
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
    LOG.log(Level.INFO, "serving models from " + source);
    try {
      refresh().join();
    } catch (RegistryException e) {
      synchronized (startStopLock) {
        started = false; // nothing was loaded, so a later start() may try again
      }
      throw e;
    }
    synchronized (startStopLock) {
      if (!lifecycle.isClosed()) {
        source.start();
      }
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

  /**
   * Whether there is a model of that name. Cheap and lock-free, unlike a failed {@link #status}.
   */
  public boolean contains(String model) {
    return lifecycle.snapshot().names().contains(model);
  }

  /**
   * @throws ModelNotFoundException if there is no such model
   */
  public ModelStatus status(String model) {
    return lifecycle.snapshot().model(model).status();
  }

  /**
   * Points {@code label} at {@code version}, overriding {@code model.yaml} until the registry is
   * recreated. The version the label pointed at before may retire if nothing else keeps it.
   *
   * @return the model's status after the change
   * @throws InvalidNameException if the label name is not {@code [a-z0-9][a-z0-9_-]*} of at most 64
   *     characters
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
   * What the source last refused or could not read above the level of one model; for the file
   * system: folders whose names are not valid model names, model folders that are symbolic links
   * leading outside the repository, model folders that cannot be listed. Problems inside a model's
   * folder are in its {@link ModelStatus#problems()}.
   */
  public List<RepositoryProblem> problems() {
    return lifecycle.snapshot().problems();
  }

  /**
   * Has the source emit what it offers now (for the file system: rescans the repository) and
   * returns once every load this started has finished or waits for memory.
   *
   * @return every model's status afterwards
   * @throws RegistryException if the source cannot be read
   * @throws IllegalStateException if the registry is closed
   */
  public List<ModelStatus> reload() {
    if (lifecycle.isClosed()) {
      throw new IllegalStateException("the model registry is closed");
    }
    refresh().join();
    return list();
  }

  /**
   * Stops serving {@code model}, as Triton's explicit model control does: every version retires
   * (calls in flight finish; new ones fail with {@link ModelUnavailableException}, saying the model
   * is unloaded) and none loads, whatever the repository holds, until {@link #load}. Returns once
   * every version has unloaded, or after {@link RegistryConfig#unloadTimeout()} with versions still
   * waiting for their last calls. Unloading an unloaded model does nothing. The repository is not
   * touched; the unload lasts until the registry is recreated or the model leaves the repository.
   *
   * @return the model's status afterwards
   * @throws ModelNotFoundException if there is no such model
   * @throws ModelUnavailableException if the registry is closed
   */
  public ModelStatus unload(String model) {
    return control.unload(Objects.requireNonNull(model, "model"));
  }

  /**
   * Loads {@code model} from the source, or reloads it: ends an {@link #unload}, forgets the
   * model's failed versions so they are tried again, has the source emit what it offers now (for
   * the file system: rescans the repository) and waits until every version the model's policy
   * selects is AVAILABLE or has failed. Versions that serve keep serving throughout (the swap
   * preserves availability, as a rescan does).
   *
   * <p>All or nothing: if a selected version fails (or waits for memory), the model's {@code
   * model.yaml} is broken, or no version serves, this fails with the reasons; a model that was
   * unloaded is unloaded again, one that served keeps serving what it served.
   *
   * @return the model's status afterwards, every selected version AVAILABLE
   * @throws ModelNotFoundException if the source has no such model
   * @throws ModelUnavailableException if the model did not load, with the reasons; or if the
   *     registry is closed
   * @throws RegistryException if the source cannot be read
   */
  public ModelStatus load(String model) {
    return control.load(Objects.requireNonNull(model, "model"));
  }

  /** Adds a listener for changes from now on; see {@link RegistryListener} for how it is called. */
  public void addListener(RegistryListener listener) {
    notifier.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Closes the source, retires every version and waits, up to {@link
   * RegistryConfig#unloadTimeout()}, for open handles to close and running loads to finish; then
   * closes what is left regardless (logging each such version). Idempotent. Afterwards {@link
   * #acquire} fails with {@link ModelUnavailableException}.
   */
  @Override
  public void close() {
    if (!lifecycle.beginClose()) {
      return;
    }
    synchronized (startStopLock) {
      source.close();
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

  // The source's refresh, then the listeners told on this thread, outside the source's lock, so
  // that a listener may call reload() or wait for a thread that does.
  private CompletableFuture<Void> refresh() {
    CompletableFuture<Void> loads;
    refreshing.set(true);
    try {
      loads = source.refresh();
    } finally {
      refreshing.set(false);
    }
    notifier.deliver();
    return loads;
  }

  // The source's callback.
  private CompletableFuture<Void> take(AspiredVersions aspired) {
    List<CompletableFuture<Void>> loads =
        lifecycle.apply(Objects.requireNonNull(aspired, "aspired"));
    if (!refreshing.get()) {
      events.execute(notifier::deliver);
    }
    return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
  }
}
