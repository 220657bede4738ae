package dev.swinserve.client;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.resilience.BreakerConfig;
import dev.swinserve.client.resilience.RetryConfig;
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
 * @param tls TLS to the servers; empty: plaintext
 * @param bearerToken sent as {@code authorization: Bearer <token>} on every call, for a server with
 *     {@code auth:}; empty: none
 */
public record ClientConfig(
    String target,
    Duration defaultDeadline,
    BreakerConfig breaker,
    RetryConfig retry,
    int maxConcurrentCalls,
    Optional<ModelSpec> fallbackModel,
    Duration dnsRefresh,
    Optional<ClientTls> tls,
    Optional<String> bearerToken) {

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
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(bearerToken, "bearerToken");
    if (bearerToken.isPresent() && !bearerToken.get().matches("[\\x21-\\x7e]+")) {
      throw new IllegalArgumentException(
          "bearerToken must be printable ASCII without spaces (it travels in a header)");
    }
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
        DEFAULT_DNS_REFRESH,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * The defaults for {@code target}: 10 s deadline, 64 calls in flight per endpoint, no fallback,
   * DNS names resolved again every 30 s, plaintext.
   */
  public static ClientConfig defaults(String target) {
    return new ClientConfig(
        target,
        Duration.ofSeconds(10),
        BreakerConfig.defaults(),
        RetryConfig.defaults(),
        64,
        Optional.empty(),
        DEFAULT_DNS_REFRESH,
        Optional.empty(),
        Optional.empty());
  }

  public ClientConfig withDefaultDeadline(Duration deadline) {
    return new ClientConfig(
        target,
        deadline,
        breaker,
        retry,
        maxConcurrentCalls,
        fallbackModel,
        dnsRefresh,
        tls,
        bearerToken);
  }

  public ClientConfig withBreaker(BreakerConfig value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        value,
        retry,
        maxConcurrentCalls,
        fallbackModel,
        dnsRefresh,
        tls,
        bearerToken);
  }

  public ClientConfig withRetry(RetryConfig value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        value,
        maxConcurrentCalls,
        fallbackModel,
        dnsRefresh,
        tls,
        bearerToken);
  }

  public ClientConfig withMaxConcurrentCalls(int value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        retry,
        value,
        fallbackModel,
        dnsRefresh,
        tls,
        bearerToken);
  }

  public ClientConfig withFallbackModel(ModelSpec value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        retry,
        maxConcurrentCalls,
        Optional.of(value),
        dnsRefresh,
        tls,
        bearerToken);
  }

  public ClientConfig withDnsRefresh(Duration value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        retry,
        maxConcurrentCalls,
        fallbackModel,
        value,
        tls,
        bearerToken);
  }

  /** This config speaking TLS ({@code null}: plaintext). */
  public ClientConfig withTls(ClientTls value) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        retry,
        maxConcurrentCalls,
        fallbackModel,
        dnsRefresh,
        Optional.ofNullable(value),
        bearerToken);
  }

  /** This config sending {@code token} as a bearer token on every call ({@code null}: none). */
  public ClientConfig withBearerToken(String token) {
    return new ClientConfig(
        target,
        defaultDeadline,
        breaker,
        retry,
        maxConcurrentCalls,
        fallbackModel,
        dnsRefresh,
        tls,
        Optional.ofNullable(token));
  }

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
