package dev.swinserve.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.resilience.BreakerConfig;
import dev.swinserve.client.resilience.RetryConfig;
import java.time.Duration;

/**
 * A case's {@code client} settings as a Java {@link ClientConfig} (clients/conformance/README.md).
 */
final class ConformanceClientConfig {

  private ConformanceClientConfig() {}

  /** A client config: the defaults, with what the case's {@code client} names changed. */
  static ClientConfig of(String target, JsonNode settings) {
    ClientConfig config = ClientConfig.defaults(target);
    if (settings.has("default_deadline_ms")) {
      config =
          config.withDefaultDeadline(
              Duration.ofMillis(settings.get("default_deadline_ms").asLong()));
    }
    RetryConfig retry = config.retry();
    JsonNode r = settings.path("retry");
    config =
        config.withRetry(
            new RetryConfig(
                r.path("max_attempts").asInt(retry.maxAttempts()),
                millis(r, "initial_backoff_ms", retry.initialBackoff()),
                retry.multiplier(),
                millis(r, "max_backoff_ms", retry.maxBackoff()),
                retry.jitter(),
                retry.budgetRatio(),
                r.path("budget_minimum").asInt(retry.budgetMinimum())));
    BreakerConfig breaker = config.breaker();
    JsonNode b = settings.path("breaker");
    return config.withBreaker(
        new BreakerConfig(
            breaker.windowType(),
            b.path("window_size").asInt(breaker.windowSize()),
            b.path("minimum_calls").asInt(breaker.minimumCalls()),
            (float)
                b.path("failure_rate_threshold_percent")
                    .asDouble(breaker.failureRateThresholdPercent()),
            breaker.slowCallDuration(),
            breaker.slowCallRateThresholdPercent(),
            millis(b, "wait_in_open_state_ms", breaker.waitInOpenState()),
            b.path("half_open_probes").asInt(breaker.halfOpenProbes())));
  }

  private static Duration millis(JsonNode settings, String name, Duration otherwise) {
    return settings.has(name) ? Duration.ofMillis(settings.get(name).asLong()) : otherwise;
  }
}
