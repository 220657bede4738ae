package dev.swinserve.client.resilience;

import java.time.Duration;

/**
 * Retries of one call, the only retries in the client (gRPC's own retry is switched off).
 *
 * @param maxAttempts attempts in all, the first included; 1 turns retries off
 * @param initialBackoff the wait before the first retry, before jitter
 * @param multiplier how much each further wait grows
 * @param maxBackoff the longest wait, before jitter
 * @param jitter a wait is drawn uniformly from {@code backoff * (1 ± jitter)}; 0 to 1
 * @param budgetRatio retries allowed per call made: each call earns this many retry tokens
 * @param budgetMinimum retry tokens at start, and the most that can be saved up beyond {@code
 *     budgetRatio}'s share
 */
public record RetryConfig(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitter,
    double budgetRatio,
    int budgetMinimum) {

  public RetryConfig {
    Checks.atLeastOne(maxAttempts, "maxAttempts");
    Checks.positive(initialBackoff, "initialBackoff");
    Checks.positive(maxBackoff, "maxBackoff");
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
    }
    if (budgetRatio < 0 || budgetMinimum < 0) {
      throw new IllegalArgumentException("budgetRatio and budgetMinimum must not be negative");
    }
  }

  /** 3 attempts, 100 ms doubling to at most 2 s, ±50 % jitter, retries ≤ 10 % of calls + 10. */
  public static RetryConfig defaults() {
    return new RetryConfig(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2), 0.5, 0.1, 10);
  }
}
