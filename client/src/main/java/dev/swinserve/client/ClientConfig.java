package dev.swinserve.client;

import dev.swinserve.api.v1.ModelSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link SwinserveClient} is built from: where the servers are, how long a call may
 * take, and the resilience settings. Immutable; start from {@link #defaults(String)} and change
 * what differs with the {@code with*} methods. Why each default is what it is: README, "Using the
 * client from Java".
 *
 * @param target {@code host:port} or {@code dns:///name:port} (a name that resolves to several
 *     addresses gets an endpoint per address, used round robin), a static list {@code
 *     host1:port1,host2:port2}, or any other gRPC target (one channel)
 * @param defaultDeadline the deadline of a call that names none; it spans every retry of the call
 * @param breaker the circuit breaker each endpoint gets
 * @param retry how failed calls are retried
 * @param maxConcurrentCalls the bulkhead: calls in flight per endpoint; one more fails at once
 * @param fallbackModel the model a unary call is sent to instead while every breaker is open
 * @param dnsRefresh how often a DNS name target is resolved again: addresses that appeared get an
 *     endpoint, those that vanished lose theirs
 */
public record ClientConfig(
    String target,
    Duration defaultDeadline,
    BreakerConfig breaker,
    RetryConfig retry,
    int maxConcurrentCalls,
    Optional<ModelSpec> fallbackModel,
    Duration dnsRefresh) {

  /**
   * The DNS refresh interval unless configured: about as long as DNS answers are commonly cached.
   */
  public static final Duration DEFAULT_DNS_REFRESH = Duration.ofSeconds(30);

  public ClientConfig {
    Objects.requireNonNull(target, "target");
    positive(defaultDeadline, "defaultDeadline");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(fallbackModel, "fallbackModel");
    positive(dnsRefresh, "dnsRefresh");
    if (target.isBlank()) {
      throw new IllegalArgumentException("target must not be blank");
    }
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentCalls must be at least 1, was " + maxConcurrentCalls);
    }
  }

  /** A config with the default DNS refresh ({@link #DEFAULT_DNS_REFRESH}). */
  public ClientConfig(
      String target,
      Duration defaultDeadline,
      BreakerConfig breaker,
      RetryConfig retry,
      int maxConcurrentCalls,
      Optional<ModelSpec> fallbackModel) {
    this(
        target,
        defaultDeadline,
        breaker,
        retry,
        maxConcurrentCalls,
        fallbackModel,
        DEFAULT_DNS_REFRESH);
  }

  /**
   * The defaults for {@code target}: 10 s deadline, 64 calls in flight per endpoint, no fallback,
   * DNS names resolved again every 30 s.
   */
  public static ClientConfig defaults(String target) {
    return new ClientConfig(
        target,
        Duration.ofSeconds(10),
        BreakerConfig.defaults(),
        RetryConfig.defaults(),
        64,
        Optional.empty(),
        DEFAULT_DNS_REFRESH);
  }

  public ClientConfig withDefaultDeadline(Duration deadline) {
    return new ClientConfig(
        target, deadline, breaker, retry, maxConcurrentCalls, fallbackModel, dnsRefresh);
  }

  public ClientConfig withBreaker(BreakerConfig value) {
    return new ClientConfig(
        target, defaultDeadline, value, retry, maxConcurrentCalls, fallbackModel, dnsRefresh);
  }

  public ClientConfig withRetry(RetryConfig value) {
    return new ClientConfig(
        target, defaultDeadline, breaker, value, maxConcurrentCalls, fallbackModel, dnsRefresh);
  }

  public ClientConfig withMaxConcurrentCalls(int value) {
    return new ClientConfig(
        target, defaultDeadline, breaker, retry, value, fallbackModel, dnsRefresh);
  }

  public ClientConfig withFallbackModel(ModelSpec value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        retry,
        maxConcurrentCalls,
        Optional.of(value),
        dnsRefresh);
  }

  public ClientConfig withDnsRefresh(Duration value) {
    return new ClientConfig(
        target, defaultDeadline, breaker, retry, maxConcurrentCalls, fallbackModel, value);
  }

  /**
   * How the breaker's sliding window counts: the last N calls, or the calls of the last N seconds.
   */
  public enum WindowType {
    COUNT,
    TIME
  }

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
   * @param halfOpenProbes calls let through while half-open; all must succeed to close it
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
      atLeastOne(windowSize, "windowSize");
      atLeastOne(minimumCalls, "minimumCalls");
      percent(failureRateThresholdPercent, "failureRateThresholdPercent");
      positive(slowCallDuration, "slowCallDuration");
      percent(slowCallRateThresholdPercent, "slowCallRateThresholdPercent");
      positive(waitInOpenState, "waitInOpenState");
      atLeastOne(halfOpenProbes, "halfOpenProbes");
    }

    /**
     * Last 20 calls, at least 10; opens at 50 % failures or 80 % calls slower than 5 s; 10 s open;
     * 3 probes.
     */
    public static BreakerConfig defaults() {
      return new BreakerConfig(
          WindowType.COUNT, 20, 10, 50, Duration.ofSeconds(5), 80, Duration.ofSeconds(10), 3);
    }
  }

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
      atLeastOne(maxAttempts, "maxAttempts");
      positive(initialBackoff, "initialBackoff");
      positive(maxBackoff, "maxBackoff");
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

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }

  private static void atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }

  private static void percent(float value, String name) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException(name + " must be within (0, 100], was " + value);
    }
  }
}
