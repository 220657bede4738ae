package dev.swinserve.client.resilience;

/**
 * A token bucket that keeps retries from multiplying load in an outage: every call earns {@code
 * ratio} tokens, every retry spends one, and a retry without a whole token is not made. The bucket
 * starts with, and holds at most, {@code minimum} tokens (at least one), so retries never exceed
 * {@code ratio} times the calls made plus {@code minimum}, and a quiet spell cannot save up a
 * burst. No clock: the budget follows traffic, not time. Thread-safe.
 */
public final class RetryBudget {

  private final double ratio;
  private final double capacity;
  private double tokens;

  public RetryBudget(double ratio, int minimum) {
    this.ratio = ratio;
    this.capacity = Math.max(1, minimum);
    this.tokens = minimum;
  }

  /** Records a call (not a retry): earns {@code ratio} tokens. */
  public synchronized void recordCall() {
    tokens = Math.min(capacity, tokens + ratio);
  }

  /** Spends a token for one retry; false, spending nothing, when there is no whole token. */
  public synchronized boolean tryAcquireRetry() {
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** Tokens left, for metrics and tests. */
  public synchronized double tokens() {
    return tokens;
  }
}
