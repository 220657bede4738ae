package dev.swinserve.server.routing;

import dev.swinserve.server.lifecycle.Managed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@code <model repository>/endpoints.yaml} to the {@link Router}: at start, on every poll
 * and on a repository reload. Only a change of the file's content is applied, and it replaces every
 * endpoint at once, so endpoints set at run time through ModelService win until the file changes
 * again; a removed file counts as a file without endpoints. A file that does not parse leaves the
 * routing as it was and is reported by {@link #error()} (and logged once per content).
 *
 * <p>Thread-safe: {@link #check()} is serialised.
 */
public final class EndpointsFileWatcher implements Managed {

  public static final String FILE_NAME = "endpoints.yaml";

  private static final System.Logger LOG = System.getLogger(EndpointsFileWatcher.class.getName());

  private final Path file;
  private final Router router;
  private final ScheduledExecutorService poller;
  private final Duration interval;
  private volatile Future<?> polling = CompletableFuture.completedFuture(null);
  private String appliedContent;
  private boolean seen;
  private volatile Optional<String> error = Optional.empty();

  /**
   * @param poller runs {@link #check()} every {@code interval} after {@link #start()}, until {@link
   *     #close()}; a zero interval polls never. Not shut down here: its owner does that.
   */
  public EndpointsFileWatcher(
      Path file, Router router, ScheduledExecutorService poller, Duration interval) {
    this.file = file;
    this.router = router;
    this.poller = poller;
    this.interval = interval;
  }

  /** Applies the file now, then polls it. */
  @Override
  public void start() {
    check();
    if (!interval.isZero() && !interval.isNegative()) {
      polling =
          poller.scheduleWithFixedDelay(
              this::checkLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Applies the file if its content changed since the last check. */
  public synchronized void check() {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      content = null;
    } catch (IOException e) {
      error = Optional.of(file + ": cannot read: " + e.getMessage());
      return;
    }
    if (seen && Objects.equals(content, appliedContent)) {
      return;
    }
    seen = true;
    appliedContent = content;
    try {
      List<Endpoint> endpoints = content == null ? List.of() : EndpointsFileReader.parse(content);
      RoutingTable table = RoutingTable.of(endpoints);
      router.update(current -> table);
      error = Optional.empty();
      LOG.log(
          System.Logger.Level.INFO,
          () -> "endpoints from " + file + ": " + table.endpoints().keySet());
    } catch (InvalidEndpointException e) {
      error = Optional.of(file + ": " + e.getMessage() + "; keeping the routing as it was");
      LOG.log(System.Logger.Level.ERROR, error.get());
    }
  }

  /** Why the file's current content was refused; empty when it was applied or is absent. */
  public Optional<String> error() {
    return error;
  }

  private void checkLogged() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "checking " + file + " failed", e);
    }
  }

  /** Stops polling; a check already running finishes. */
  @Override
  public void close() {
    polling.cancel(false);
  }
}
