package dev.swinserve.server.grpc;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * @param maxInFlight requests of one ClassifyStream being computed or waiting to be sent; the
 *     server reads no further request until one completes
 * @param stallTimeout how long a client may leave responses unread before its stream is closed with
 *     RESOURCE_EXHAUSTED and reset (RST_STREAM)
 * @param timers runs the stall timers
 */
public record StreamSettings(
    int maxInFlight, Duration stallTimeout, ScheduledExecutorService timers) {

  public StreamSettings {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException(
          "stream max in flight must be at least 1, got " + maxInFlight);
    }
    if (stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException(
          "stream stall timeout must be positive, got " + stallTimeout);
    }
  }
}
