package dev.swinserve.client.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An endpoint breaker's wait in the OPEN state, timed by the client's injected {@link Clock}.
 *
 * <p>Resilience4j's public factories ({@code CircuitBreaker.of}, {@code CircuitBreakerRegistry})
 * take no clock: the breaker they make times its open wait by the system clock, and only its
 * internal {@code CircuitBreakerStateMachine} constructor accepts another. So the breaker is given
 * a wait it never reaches ({@link #BEYOND_REACH}), and this class ends the configured wait instead:
 * once the injected clock is past it, {@link #halfOpenIfOver} moves the breaker to HALF_OPEN when a
 * call next asks for permission, as the breaker's own open state does (same moment, same transition
 * and event). Thread-safe.
 */
final class OpenWait {

  /** The breaker's own open wait: longer than any client lives, so only this class ends it. */
  static final Duration BEYOND_REACH = Duration.ofDays(365L * 100);

  private final CircuitBreaker breaker;
  private final Clock clock;
  private final Duration wait;

  /**
   * When the running wait ends; {@link Instant#MAX} while none runs. Set to MAX before the breaker
   * leaves OPEN, so that a breaker seen OPEN again before its transition event has set the new end
   * is not taken for one whose wait is over.
   */
  private final AtomicReference<Instant> endsAt = new AtomicReference<>(Instant.MAX);

  /**
   * @param wait how long the breaker stays open, by {@code clock}, before letting probes through
   */
  OpenWait(CircuitBreaker breaker, Clock clock, Duration wait) {
    this.breaker = breaker;
    this.clock = clock;
    this.wait = wait;
  }

  /**
   * To be told of every transition of the breaker, on the thread that made it: a wait starts on
   * OPEN.
   */
  void onTransition(CircuitBreaker.State to) {
    if (to == CircuitBreaker.State.OPEN) {
      endsAt.set(clock.instant().plus(wait));
    }
  }

  /** Whether the running wait is over (at or after its end); no side effect. */
  boolean over() {
    return !clock.instant().isBefore(endsAt.get());
  }

  /**
   * Before the breaker is asked for permission: if it is OPEN and the clock is past the wait's end
   * (strictly, as Resilience4j compares), moves it to HALF_OPEN.
   */
  void halfOpenIfOver() {
    if (!pastEnd()) {
      return;
    }
    synchronized (this) {
      if (pastEnd()) {
        endsAt.set(Instant.MAX);
        breaker.transitionToHalfOpenState();
      }
    }
  }

  private boolean pastEnd() {
    return breaker.getState() == CircuitBreaker.State.OPEN && clock.instant().isAfter(endsAt.get());
  }
}
