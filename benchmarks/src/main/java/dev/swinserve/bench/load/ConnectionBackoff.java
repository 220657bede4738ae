package dev.swinserve.bench.load;

import io.grpc.Status;
import java.util.concurrent.TimeUnit;

/**
 * How long one closed-loop caller waits before its next call: after a connection failure
 * (UNAVAILABLE, which a channel without a server returns at once) 50 ms, doubling up to 1 s; after
 * any other outcome, nothing. Without it a caller against a dead server spins, piling up millions
 * of failures that say nothing. Not thread-safe: one per caller, whose calls run one at a time.
 */
final class ConnectionBackoff {

  static final long INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

  private long nextNanos = INITIAL_NANOS;

  /** The wait before the next call, in nanoseconds, given how the last one ended. */
  long after(Status.Code outcome) {
    if (outcome != Status.Code.UNAVAILABLE) {
      nextNanos = INITIAL_NANOS;
      return 0;
    }
    long wait = nextNanos;
    nextNanos = Math.min(nextNanos * 2, MAX_NANOS);
    return wait;
  }
}
