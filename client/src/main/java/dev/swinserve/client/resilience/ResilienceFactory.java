package dev.swinserve.client.resilience;

import dev.swinserve.client.ClientConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place that decides how a call is protected. Every call is composed, outermost first:
 *
 * <pre>
 *   Retry( CircuitBreaker( Bulkhead( call with a gRPC deadline ) ) )     per attempt: a fresh endpoint
 * </pre>
 *
 * <ul>
 *   <li><b>Retry</b> is outermost so that each attempt asks the breaker again: a breaker that opens
 *       mid-call stops the retries (CallNotPermittedException is not retried), and each attempt
 *       may go to another endpoint. Retries happen only here: channels are built with gRPC's
 *       own retry disabled. Only {@link StatusPolicy#isRetryable retryable} codes are retried,
 *       after {@link Backoff} (the server's pushback, else exponential with jitter), and only
 *       while the shared {@link RetryBudget} has a token.
 *   <li><b>CircuitBreaker</b>, one per endpoint, counts only {@link StatusPolicy#isServerUnwell
 *       server-unwell} failures; caller mistakes count as answered calls, and bulkhead rejections
 *       and cancellations are not counted at all.
 *   <li><b>Bulkhead</b> inside the breaker: a call rejected for lack of room never reached the
 *       server, so it says nothing about the server's health.
 *   <li><b>Time limit</b>: the gRPC deadline of the call, computed once when the call starts and
 *       given to every attempt, instead of a Resilience4j TimeLimiter: it is propagated to the
 *       server (which drops work whose deadline passed) and bounds the retries too.
 * </ul>
 *
 * <p>Thread-safe. Time comes from the injected {@link Clock} (breaker windows, open-state wait,
 * slow calls); retry waits are scheduled on the injected scheduler.
 */
public final class ResilienceFactory {

  private final ClientConfig config;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final BreakerListener listener;
  private final RetryBudget budget;
  private final Backoff backoff;
  private final Retry retry;

  /**
   * @param random values in [0, 1) for the backoff's jitter
   * @param scheduler runs retries after their wait; the caller owns it
   */
  public ResilienceFactory(ClientConfig config, Clock clock, DoubleSupplier random,
      ScheduledExecutorService scheduler, BreakerListener listener) {
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
    this.listener = listener;
    ClientConfig.RetryConfig retryConfig = config.retry();
    this.budget = new RetryBudget(retryConfig.budgetRatio(), retryConfig.budgetMinimum());
    this.backoff = new Backoff(retryConfig, random);
    this.retry = Retry.of("swinserve", RetryConfig.custom()
        .maxAttempts(retryConfig.maxAttempts())
        .retryOnException(failure -> StatusPolicy.isRetryable(unwrap(failure)))
        .intervalBiFunction(backoff)
        .build());
  }

  /** A new endpoint guard: its own breaker (reporting to the listener) and bulkhead. */
  public Guard guard(String endpoint) {
    ClientConfig.BreakerConfig breaker = config.breaker();
    CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
        .slidingWindow(breaker.windowSize(), breaker.minimumCalls(),
            breaker.windowType() == ClientConfig.WindowType.COUNT
                ? CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                : CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
        .failureRateThreshold(breaker.failureRateThresholdPercent())
        .slowCallDurationThreshold(breaker.slowCallDuration())
        .slowCallRateThreshold(breaker.slowCallRateThresholdPercent())
        .waitDurationInOpenState(breaker.waitInOpenState())
        .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenProbes())
        .recordException(failure -> StatusPolicy.isServerUnwell(unwrap(failure)))
        .ignoreException(failure -> unwrap(failure) instanceof BulkheadFullException
            || StatusPolicy.code(unwrap(failure)) == Status.Code.CANCELLED)
        .currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS)
        .build();
    CircuitBreaker circuitBreaker = new CircuitBreakerStateMachine(endpoint, breakerConfig, clock);
    AtomicReference<Instant> reopensAt = new AtomicReference<>(Instant.MIN);
    circuitBreaker.getEventPublisher().onStateTransition(event -> {
      if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
        reopensAt.set(clock.instant().plus(breaker.waitInOpenState()));
      }
      listener.onStateChange(endpoint, event.getStateTransition().getFromState(),
          event.getStateTransition().getToState());
    });
    Bulkhead bulkhead = Bulkhead.of(endpoint, BulkheadConfig.custom()
        .maxConcurrentCalls(config.maxConcurrentCalls()).maxWaitDuration(Duration.ZERO).build());
    return new Guard(endpoint, circuitBreaker, bulkhead, () -> !clock.instant().isBefore(reopensAt.get()));
  }

  /**
   * Runs one call: {@code attempt} once per attempt, against the guard {@code select} picks for
   * that attempt, composed as the class comment says. The future fails with the last attempt's
   * failure, unwrapped (a {@code StatusRuntimeException}, or Resilience4j's
   * {@code CallNotPermittedException} / {@code BulkheadFullException} when refused locally).
   */
  public <T> CompletableFuture<T> execute(Supplier<Guard> select, Function<Guard, CompletionStage<T>> attempt) {
    budget.recordCall();
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    Supplier<CompletionStage<T>> oneAttempt = () -> {
      if (attempts.incrementAndGet() > 1 && !budget.tryAcquireRetry()) {
        return CompletableFuture.failedFuture(new BudgetExhausted(lastFailure.get()));
      }
      Guard guard = select.get();
      Supplier<CompletionStage<T>> call = () -> attempt.apply(guard);
      call = Bulkhead.decorateCompletionStage(guard.bulkhead(), call);
      call = CircuitBreaker.decorateCompletionStage(guard.circuitBreaker(), call);
      return call.get().whenComplete((result, failure) -> {
        if (failure != null) {
          lastFailure.set(unwrap(failure));
        }
      });
    };
    CompletableFuture<T> result = new CompletableFuture<>();
    Retry.decorateCompletionStage(retry, scheduler, oneAttempt).get().whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        Throwable cause = unwrap(failure);
        result.completeExceptionally(cause instanceof BudgetExhausted exhausted ? exhausted.getCause() : cause);
      }
    });
    return result;
  }

  /**
   * Whether a broken stream may be reopened, the streaming counterpart of Retry: only after a
   * {@link StatusPolicy#isRetryable retryable} failure, at most {@code maxAttempts - 1} times in a
   * row without an answer in between, and only with a token from the shared budget.
   *
   * @param failedInARow reconnections already tried since the stream last received an answer
   */
  public boolean mayReconnect(Throwable failure, int failedInARow) {
    return StatusPolicy.isRetryable(unwrap(failure)) && failedInARow < config.retry().maxAttempts() - 1
        && budget.tryAcquireRetry();
  }

  /** The wait before reconnection number {@code attempt} (from 1), as for a retry. */
  public Duration reconnectDelay(int attempt, Throwable failure) {
    return Duration.ofMillis(backoff.apply(attempt, io.github.resilience4j.core.functions.Either.left(failure)));
  }

  /** The retry budget shared by every call of the client. */
  public RetryBudget budget() {
    return budget;
  }

  /** The retry, for its events and metrics. */
  public Retry retry() {
    return retry;
  }

  /** {@code failure} without the CompletionException / ExecutionException wrappers futures add. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * One endpoint's breaker and bulkhead.
   *
   * @param openWaitOver whether an open breaker's wait is over (it would let a probe through);
   *     asking has no side effect, unlike {@code CircuitBreaker.tryAcquirePermission}
   */
  public record Guard(String endpoint, CircuitBreaker circuitBreaker, Bulkhead bulkhead,
      BooleanSupplier openWaitOver) {

    /** Whether the breaker would let a call through now, without taking a permit or counting a refusal. */
    public boolean mayAdmit() {
      return circuitBreaker.getState() != CircuitBreaker.State.OPEN || openWaitOver.getAsBoolean();
    }

    public BreakerSnapshot snapshot() {
      return BreakerSnapshot.of(endpoint, circuitBreaker);
    }
  }

  /** An attempt not made for want of retry tokens; carries the previous attempt's failure. */
  private static final class BudgetExhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExhausted(Throwable previous) {
      super("retry budget exhausted", previous, false, false);
    }
  }
}
