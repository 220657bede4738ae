package dev.swinserve.client.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One endpoint's breaker at a moment.
 *
 * @param failureRatePercent -1 until the window holds the minimum number of calls
 * @param slowCallRatePercent -1 likewise
 * @param bufferedCalls calls in the window
 * @param failedCalls calls in the window that failed in a way that counts
 * @param rejectedCalls calls refused because the breaker was open, since it was created
 */
public record BreakerSnapshot(
    String endpoint,
    CircuitBreaker.State state,
    float failureRatePercent,
    float slowCallRatePercent,
    int bufferedCalls,
    int failedCalls,
    long rejectedCalls) {

  static BreakerSnapshot of(String endpoint, CircuitBreaker breaker) {
    CircuitBreaker.Metrics metrics = breaker.getMetrics();
    return new BreakerSnapshot(
        endpoint,
        breaker.getState(),
        metrics.getFailureRate(),
        metrics.getSlowCallRate(),
        metrics.getNumberOfBufferedCalls(),
        metrics.getNumberOfFailedCalls(),
        metrics.getNumberOfNotPermittedCalls());
  }
}
