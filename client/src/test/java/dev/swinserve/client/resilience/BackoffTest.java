package dev.swinserve.client.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.functions.Either;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final RetryConfig CONFIG =
      new RetryConfig(5, Duration.ofMillis(100), 2.0, Duration.ofMillis(300), 0.5, 0.1, 10);

  @Test
  void growsExponentiallyUpToTheMaximum() {
    Backoff backoff = new Backoff(CONFIG, () -> 0.5);

    assertThat(backoff.apply(1, failure())).isEqualTo(100);
    assertThat(backoff.apply(2, failure())).isEqualTo(200);
    assertThat(backoff.apply(3, failure())).isEqualTo(300);
    assertThat(backoff.apply(4, failure())).isEqualTo(300);
  }

  @Test
  void jitterSpreadsWaitsAroundTheBackoff() {
    assertThat(new Backoff(CONFIG, () -> 0.0).apply(2, failure())).isEqualTo(100);
    assertThat(new Backoff(CONFIG, () -> 0.999).apply(2, failure())).isBetween(299L, 300L);
  }

  @Test
  void theServersPushbackWins() {
    Backoff backoff = new Backoff(CONFIG, () -> 0.5);

    assertThat(backoff.apply(1, Either.left(StatusPolicyTest.shed("750")))).isEqualTo(750);
  }

  private static Either<Throwable, Object> failure() {
    return Either.left(Status.UNAVAILABLE.asRuntimeException());
  }
}
