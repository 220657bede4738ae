package dev.swinserve.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogRateLimiterTest {

  private final AtomicLong clock = new AtomicLong(1_000);
  private final LogRateLimiter limiter = new LogRateLimiter(Duration.ofSeconds(10), clock::get);

  @Test
  void oneEventPerKindPerWindowAndTheNextOneSaysHowManyWereSuppressed() {
    assertThat(limiter.admit("oversized")).isZero();
    for (int i = 0; i < 5; i++) {
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(limiter.admit("oversized")).as("within the window").isEqualTo(-1);
    }
    assertThat(limiter.admit("reset")).as("another kind has a window of its own").isZero();

    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(limiter.admit("oversized"))
        .as("10 s after the first: logged, with 5 suppressed")
        .isEqualTo(5);
    assertThat(limiter.admit("oversized")).isEqualTo(-1);
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(limiter.admit("oversized")).isEqualTo(1);
    assertThat(limiter.admit("reset")).as("nothing suppressed since its last").isZero();
  }

  @Test
  void kindsAreBoundedAndTheSurplusSharesOneWindow() {
    for (int i = 0; i < LogRateLimiter.MAX_KINDS; i++) {
      assertThat(limiter.admit("kind-" + i)).isZero();
    }

    assertThat(limiter.admit("one more")).isZero();
    assertThat(limiter.admit("and another")).as("shares the window of 'one more'").isEqualTo(-1);
  }
}
