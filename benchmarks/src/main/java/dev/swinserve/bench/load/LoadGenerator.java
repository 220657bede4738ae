package dev.swinserve.bench.load;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Puts a {@link LoadSpec}'s load on a swinserve server and measures it: the engine behind {@code
 * swinserve bench}, callable from Java. A run stops by itself: after its duration or request count,
 * with every request bounded by the spec's deadline.
 *
 * <p>Thread-safe and stateless between runs; one run at a time per call. The channel is the
 * caller's (it is neither shut down nor changed) and must deliver callbacks on an executor of its
 * own, as channels do unless built with {@code directExecutor()}.
 */
public final class LoadGenerator {

  private final Ticker ticker;
  private final Clock clock;

  /** A generator on the system's monotonic time and wall clock. */
  public LoadGenerator() {
    this(Ticker.system(), Clock.systemUTC());
  }

  /**
   * A generator timing everything (and pacing open loops) with {@code ticker}; {@code clock} only
   * stamps the start time.
   */
  public LoadGenerator(Ticker ticker, Clock clock) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs {@code spec} against the server behind {@code channel} and blocks until it is over and
   * every request sent has been answered or has failed. Failed calls are counted, never thrown. A
   * {@link ManagedChannel} is connected first (waiting at most the spec's deadline), so that the
   * first requests do not pay for the connection.
   *
   * @throws java.io.UncheckedIOException when an image file cannot be read (before anything is
   *     sent)
   * @throws InterruptedException when interrupted; sending stops and the run is abandoned
   */
  public LoadResult run(LoadSpec spec, Channel channel) throws InterruptedException {
    RequestSource source = RequestSource.of(spec);
    if (channel instanceof ManagedChannel managed) {
      Connections.connect(managed, spec.deadline());
    }
    Instant startTime = clock.instant();
    long startNanos = ticker.nanoTime();
    Phases phases = new Phases(spec, startNanos);
    ResultCollector results =
        new ResultCollector(
            phases.measureStartNanos(),
            // An open loop counts what it scheduled in the window; a closed loop what was answered
            // in it.
            spec.openLoop() ? Long.MAX_VALUE : phases.measureEndNanos());
    RunContext run =
        new RunContext(
            channel, ticker, phases, source, results, new Outstanding(), spec.deadline());
    if (spec.openLoop()) {
      new OpenLoop(run, spec).run();
    } else {
      new ClosedLoop(run, spec).run();
    }
    long plannedEnd = phases.byCount() ? phases.measureStartNanos() : phases.measureEndNanos();
    return results.result(spec, channel.authority(), startTime, plannedEnd);
  }
}
