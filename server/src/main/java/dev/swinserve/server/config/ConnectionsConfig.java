package dev.swinserve.server.config;

import dev.swinserve.config.Range;
import java.time.Duration;
import java.util.Objects;

/**
 * What one client connection may hold, and how long it may live. Immutable.
 *
 * @param maxConcurrentCalls calls (streams included) one connection may have open at once; the
 *     server advertises it as HTTP/2's MAX_CONCURRENT_STREAMS, so a client queues calls beyond it
 *     instead of failing them
 * @param maxAge a connection older than this is asked to go away (GOAWAY): clients reconnect,
 *     through the load balancer, so new servers get their share; zero: never
 * @param maxAgeGrace how long the calls of a connection asked to go away may still run before it is
 *     closed
 * @param maxIdle a connection with no call for this long is closed; zero: never
 */
public record ConnectionsConfig(
    int maxConcurrentCalls, Duration maxAge, Duration maxAgeGrace, Duration maxIdle) {

  private static final long DAY_MILLIS = 86_400_000;

  public static final Range MAX_CONCURRENT_CALLS =
      new Range("connections.max_concurrent_calls", 1, 1_000_000);
  public static final Range MAX_AGE = new Range("connections.max_age_ms", 0, 30 * DAY_MILLIS);
  public static final Range MAX_AGE_GRACE =
      new Range("connections.max_age_grace_ms", 0, 30 * DAY_MILLIS);
  public static final Range MAX_IDLE = new Range("connections.max_idle_ms", 0, 30 * DAY_MILLIS);

  public ConnectionsConfig {
    MAX_CONCURRENT_CALLS.check(maxConcurrentCalls);
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(maxAgeGrace, "maxAgeGrace");
    Objects.requireNonNull(maxIdle, "maxIdle");
  }

  /**
   * 256 calls per connection (four times the Java client's 64 per endpoint), connections renewed
   * every 30 minutes with 5 minutes' grace, closed after 10 idle minutes.
   */
  public static ConnectionsConfig defaults() {
    return new ConnectionsConfig(
        256, Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(10));
  }
}
