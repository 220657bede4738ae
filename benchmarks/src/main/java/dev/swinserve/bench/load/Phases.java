package dev.swinserve.bench.load;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, for each request about to go out, whether it belongs to the warm-up, the measurement, or
 * comes too late and is not sent: the one place that knows when a run starts and stops.
 * Thread-safe; every sender asks it, so a request count is never exceeded.
 */
final class Phases {

  /** What a request about to be sent is. */
  enum Phase {
    /** Sent, but its answer is not counted. */
    WARMUP,
    /** Sent and counted. */
    MEASURED,
    /** Not sent: the run is over. */
    STOP
  }

  private final long measureStartNanos;
  private final long measureEndNanos;
  private final boolean byCount;
  private final AtomicLong permits;
  private final AtomicBoolean stopped = new AtomicBoolean();

  /** The phases of {@code spec} for a run whose clock reads {@code startNanos} at its start. */
  Phases(LoadSpec spec, long startNanos) {
    this.measureStartNanos = startNanos + spec.warmup().toNanos();
    this.byCount = spec.byRequestCount();
    this.measureEndNanos = byCount ? Long.MAX_VALUE : measureStartNanos + spec.duration().toNanos();
    this.permits = new AtomicLong(spec.requests());
  }

  /**
   * The phase of a request sent (or, open loop, scheduled) at {@code nanos}. A MEASURED answer by
   * request count uses up one of the count, so call this only for a request that will be sent or
   * reported dropped.
   */
  Phase admit(long nanos) {
    if (stopped.get()) {
      return Phase.STOP;
    }
    if (nanos - measureStartNanos < 0) {
      return Phase.WARMUP;
    }
    if (byCount) {
      // Never below zero, so the count stays exact however many senders race for the last one.
      return permits.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? Phase.MEASURED : Phase.STOP;
    }
    return nanos - measureEndNanos < 0 ? Phase.MEASURED : Phase.STOP;
  }

  /**
   * Whether every request from {@code nanos} on would be STOP: the count is used up, the measured
   * phase has ended, or the run was stopped. Does not use up anything.
   */
  boolean over(long nanos) {
    return stopped.get() || (byCount ? permits.get() == 0 : nanos - measureEndNanos >= 0);
  }

  /** From now on every request is STOP (the run was interrupted or cannot go on). */
  void stop() {
    stopped.set(true);
  }

  long measureStartNanos() {
    return measureStartNanos;
  }

  /** When the measured phase ends by the clock, or {@link Long#MAX_VALUE} when it ends by count. */
  long measureEndNanos() {
    return measureEndNanos;
  }

  boolean byCount() {
    return byCount;
  }
}
