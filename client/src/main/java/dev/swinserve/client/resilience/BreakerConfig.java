package dev.swinserve.client.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * One endpoint's circuit breaker.
 *
 * @param windowType what {@code windowSize} counts
 * @param windowSize calls (COUNT) or seconds (TIME) the failure rate is computed over
 * @param minimumCalls calls the window must hold before the rate can open the breaker
 * @param failureRateThresholdPercent failure rate (server-unwell failures only) that opens it
 * @param slowCallDuration a call taking at least this long is slow
 * @param slowCallRateThresholdPercent slow-call rate that opens it
 * @param waitInOpenState how long it rejects every call before letting probes through
 * @param halfOpenProbes calls let through while half-open; once they are done it closes if their
 *     failure rate is under {@code failureRateThresholdPercent} (Resilience4j), else opens again
 */
public record BreakerConfig(
    WindowType windowType,
    int windowSize,
    int minimumCalls,
    float failureRateThresholdPercent,
    Duration slowCallDuration,
    float slowCallRateThresholdPercent,
    Duration waitInOpenState,
    int halfOpenProbes) {

  public BreakerConfig {
    Objects.requireNonNull(windowType, "windowType");
    Checks.atLeastOne(windowSize, "windowSize");
    Checks.atLeastOne(minimumCalls, "minimumCalls");
    Checks.percent(failureRateThresholdPercent, "failureRateThresholdPercent");
    Checks.positive(slowCallDuration, "slowCallDuration");
    Checks.percent(slowCallRateThresholdPercent, "slowCallRateThresholdPercent");
    Checks.positive(waitInOpenState, "waitInOpenState");
    Checks.atLeastOne(halfOpenProbes, "halfOpenProbes");
  }

  /**
   * Last 20 calls, at least 10; opens at 50 % failures or 80 % calls slower than 5 s; 10 s open; 3
   * probes.
   */
  public static BreakerConfig defaults() {
    return new BreakerConfig(
        WindowType.COUNT, 20, 10, 50, Duration.ofSeconds(5), 80, Duration.ofSeconds(10), 3);
  }

  /**
   * How the breaker's sliding window counts: the last N calls, or the calls of the last N seconds.
   */
  public enum WindowType {
    COUNT,
    TIME
  }
}
