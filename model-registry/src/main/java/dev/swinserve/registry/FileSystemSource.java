package dev.swinserve.registry;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The models in a repository laid out as {@code <root>/<model>/<version>/} with an optional {@code
 * <root>/<model>/model.yaml}, rescanned every poll interval once started. What it refuses (invalid
 * names, symbolic links leading outside the root, unreadable folders) is in the {@link
 * AspiredVersions}' problems; see {@link RepositoryScanner}.
 *
 * <p>Thread-safe: one scan and its emission run at a time, so emissions follow the order of the
 * scans. A poll that cannot read the root emits nothing (an unreadable repository must not unload
 * every model), logs the failure once and tries again at the next interval.
 */
public final class FileSystemSource implements Source {

  private static final System.Logger LOG = System.getLogger(FileSystemSource.class.getName());

  private final Path root;
  private final Duration pollInterval;
  private final Function<String, ThreadFactory> threads;
  private final RepositoryScanner scanner;
  private final Object scanLock = new Object();
  private final Object startStopLock = new Object();
  private volatile AspiredVersionsCallback callback;
  private boolean closed; // guarded by startStopLock
  private ScheduledExecutorService poller; // guarded by startStopLock
  private String pollFailure; // only touched by the poller thread

  /**
   * @param pollInterval how often {@link #start()} rescans; {@link Duration#ZERO}: never
   */
  public FileSystemSource(Path root, Duration pollInterval) {
    this(root, pollInterval, DaemonThreadFactory::new);
  }

  /**
   * @param pollInterval how often {@link #start()} rescans; {@link Duration#ZERO}: never
   * @param threads makes the poller's daemon thread, named from {@code model-repository-poller}
   */
  public FileSystemSource(
      Path root, Duration pollInterval, Function<String, ThreadFactory> threads) {
    this.threads = Objects.requireNonNull(threads, "threads");
    this.root = Objects.requireNonNull(root, "root");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative, got " + pollInterval);
    }
    this.scanner = new RepositoryScanner(root);
  }

  @Override
  public void setAspiredVersionsCallback(AspiredVersionsCallback callback) {
    this.callback = Objects.requireNonNull(callback, "callback");
  }

  /**
   * @throws RegistryException if the repository root cannot be read
   */
  @Override
  public CompletableFuture<Void> refresh() {
    synchronized (scanLock) {
      return callback.setAspiredVersions(scanner.scan());
    }
  }

  @Override
  public void start() {
    synchronized (startStopLock) {
      if (pollInterval.isZero() || closed || poller != null) {
        return;
      }
      poller = Executors.newSingleThreadScheduledExecutor(threads.apply("model-repository-poller"));
      long nanos = pollInterval.toNanos();
      poller.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    synchronized (startStopLock) {
      closed = true;
      if (poller != null) {
        poller.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "the model repository " + root;
  }

  private void poll() {
    try {
      refresh();
      if (pollFailure != null) {
        LOG.log(Level.INFO, "the model repository " + root + " is readable again");
        pollFailure = null;
      }
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).equals(pollFailure)) {
        LOG.log(Level.WARNING, "scanning the model repository failed; will retry", e);
        pollFailure = String.valueOf(e.getMessage());
      }
    }
  }
}
