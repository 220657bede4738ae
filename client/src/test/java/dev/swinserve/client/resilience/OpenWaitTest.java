package dev.swinserve.client.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.client.testing.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenWaitTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "endpoint",
          CircuitBreakerConfig.custom().waitDurationInOpenState(OpenWait.BEYOND_REACH).build());
  private final OpenWait wait = new OpenWait(breaker, clock, WAIT);
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  private final ExecutorService callers = Executors.newFixedThreadPool(8);

  OpenWaitTest() {
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              wait.onTransition(event.getStateTransition().getToState());
              transitions.add(
                  event.getStateTransition().getFromState()
                      + " -> "
                      + event.getStateTransition().getToState());
            });
  }

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  @Test
  void aBreakerNeverOpenedHasNoWait() {
    wait.halfOpenIfOver();

    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(transitions).isEmpty();
  }

  @Test
  void anOpenBreakerHalfOpensOnlyOnceTheInjectedClockIsPastItsWait() {
    breaker.transitionToOpenState();

    clock.advance(WAIT.minusMillis(1));
    wait.halfOpenIfOver();
    assertThat(wait.over()).isFalse();
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

    clock.advance(Duration.ofMillis(1));
    wait.halfOpenIfOver();
    assertThat(wait.over()).as("a probe may be tried from the wait's end").isTrue();
    assertThat(breaker.getState())
        .as("as Resilience4j, only strictly after it")
        .isEqualTo(CircuitBreaker.State.OPEN);

    clock.advance(Duration.ofMillis(1));
    wait.halfOpenIfOver();
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(transitions).containsExactly("CLOSED -> OPEN", "OPEN -> HALF_OPEN");
  }

  @Test
  void aBreakerThatReopensWaitsAgainFromThen() {
    breaker.transitionToOpenState();
    clock.advance(WAIT.plusMillis(1));
    wait.halfOpenIfOver();

    breaker.transitionToOpenState();
    assertThat(wait.over()).isFalse();
    clock.advance(WAIT);
    wait.halfOpenIfOver();
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    clock.advance(Duration.ofMillis(1));
    wait.halfOpenIfOver();

    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
  }

  @Test
  void callersRacingPastTheWaitMoveTheBreakerOnce() throws Exception {
    breaker.transitionToOpenState();
    clock.advance(WAIT.plusMillis(1));
    CountDownLatch start = new CountDownLatch(1);

    List<Future<?>> racing =
        IntStream.range(0, 8)
            .<Future<?>>mapToObj(
                i ->
                    callers.submit(
                        () -> {
                          start.await();
                          wait.halfOpenIfOver();
                          return null;
                        }))
            .toList();
    start.countDown();
    for (Future<?> caller : racing) {
      caller.get();
    }

    assertThat(transitions).containsExactly("CLOSED -> OPEN", "OPEN -> HALF_OPEN");
  }
}
