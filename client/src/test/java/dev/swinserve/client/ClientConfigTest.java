package dev.swinserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.resilience.BreakerConfig;
import dev.swinserve.client.resilience.RetryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

  @Test
  void defaults() {
    ClientConfig config = ClientConfig.defaults("swinserve.test:8500");

    assertThat(config.target()).isEqualTo("swinserve.test:8500");
    assertThat(config.defaultDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxConcurrentCalls()).isEqualTo(64);
    assertThat(config.fallbackModel()).isEmpty();
    assertThat(config.dnsRefresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.breaker())
        .isEqualTo(
            new BreakerConfig(
                BreakerConfig.WindowType.COUNT,
                20,
                10,
                50,
                Duration.ofSeconds(5),
                80,
                Duration.ofSeconds(10),
                3));
    assertThat(config.retry())
        .isEqualTo(
            new RetryConfig(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2), 0.5, 0.1, 10));
  }

  @Test
  void explicitMapping() {
    ModelSpec fallback = ModelSpec.newBuilder().setName("tiny").setLabel("stable").build();
    BreakerConfig breaker =
        new BreakerConfig(
            BreakerConfig.WindowType.TIME,
            30,
            5,
            25,
            Duration.ofMillis(800),
            60,
            Duration.ofSeconds(3),
            1);
    RetryConfig retry =
        new RetryConfig(5, Duration.ofMillis(20), 3.0, Duration.ofSeconds(1), 0.2, 0.05, 4);

    ClientConfig config =
        ClientConfig.defaults("dns:///swinserve:8500")
            .withDefaultDeadline(Duration.ofMillis(1500))
            .withBreaker(breaker)
            .withRetry(retry)
            .withMaxConcurrentCalls(8)
            .withFallbackModel(fallback)
            .withDnsRefresh(Duration.ofSeconds(5))
            .withTls(ClientTls.trusting(Path.of("ca.crt")))
            .withBearerToken("t0ken");

    assertThat(config)
        .isEqualTo(
            new ClientConfig(
                "dns:///swinserve:8500",
                Duration.ofMillis(1500),
                breaker,
                retry,
                8,
                Optional.of(fallback),
                Duration.ofSeconds(5),
                Optional.of(
                    new ClientTls(
                        Optional.of(Path.of("ca.crt")), Optional.empty(), Optional.empty())),
                Optional.of("t0ken")));
    assertThat(config.dnsRefresh()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.breaker().windowType()).isEqualTo(BreakerConfig.WindowType.TIME);
    assertThat(config.breaker().windowSize()).isEqualTo(30);
    assertThat(config.breaker().minimumCalls()).isEqualTo(5);
    assertThat(config.breaker().failureRateThresholdPercent()).isEqualTo(25);
    assertThat(config.breaker().slowCallDuration()).isEqualTo(Duration.ofMillis(800));
    assertThat(config.breaker().slowCallRateThresholdPercent()).isEqualTo(60);
    assertThat(config.breaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.breaker().halfOpenProbes()).isEqualTo(1);
    assertThat(config.retry().maxAttempts()).isEqualTo(5);
    assertThat(config.retry().initialBackoff()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.retry().multiplier()).isEqualTo(3.0);
    assertThat(config.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.retry().jitter()).isEqualTo(0.2);
    assertThat(config.retry().budgetRatio()).isEqualTo(0.05);
    assertThat(config.retry().budgetMinimum()).isEqualTo(4);
  }

  @Test
  void theConstructorWithoutADnsRefreshUsesTheDefault() {
    ClientConfig config =
        new ClientConfig(
            "swinserve.test:8500",
            Duration.ofSeconds(1),
            BreakerConfig.defaults(),
            RetryConfig.defaults(),
            4,
            Optional.empty());

    assertThat(config.dnsRefresh()).isEqualTo(ClientConfig.DEFAULT_DNS_REFRESH);
  }

  @Test
  void aBearerTokenThatCannotTravelInAHeaderIsRefused() {
    ClientConfig config = ClientConfig.defaults("swinserve.test:8500");

    assertThatThrownBy(() -> config.withBearerToken("two words"))
        .hasMessageContaining("bearerToken must be printable ASCII");
    assertThat(config.withBearerToken("abc").bearerToken()).contains("abc");
  }

  @Test
  void invalidValuesAreRefusedByName() {
    ClientConfig config = ClientConfig.defaults("swinserve.test:8500");

    assertThatThrownBy(() -> config.withDefaultDeadline(Duration.ZERO))
        .hasMessageContaining("defaultDeadline");
    assertThatThrownBy(() -> config.withMaxConcurrentCalls(0))
        .hasMessageContaining("maxConcurrentCalls");
    assertThatThrownBy(() -> config.withDnsRefresh(Duration.ZERO))
        .hasMessageContaining("dnsRefresh");
    assertThatThrownBy(() -> ClientConfig.defaults(" ")).hasMessageContaining("target");
    assertThatThrownBy(
            () ->
                new BreakerConfig(
                    BreakerConfig.WindowType.COUNT,
                    20,
                    10,
                    150,
                    Duration.ofSeconds(5),
                    80,
                    Duration.ofSeconds(10),
                    3))
        .hasMessageContaining("failureRateThresholdPercent");
    assertThatThrownBy(
            () ->
                new RetryConfig(
                    3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2), 1.5, 0.1, 10))
        .hasMessageContaining("jitter");
    assertThatThrownBy(
            () ->
                new RetryConfig(
                    0, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2), 0.5, 0.1, 10))
        .hasMessageContaining("maxAttempts");
  }
}
