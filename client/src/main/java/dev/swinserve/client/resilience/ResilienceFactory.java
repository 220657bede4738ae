package dev.swinserve.client.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *       mid-call stops the retries (CallNotPermittedException is not retried), and each attempt may
 *       go to another endpoint. Retries happen only here: channels are built with gRPC's own retry
 *       disabled. Only {@link StatusPolicy#isRetryable retryable} codes are retried, after {@link
 *       Backoff} (the server's pushback, else exponential with jitter), and only while the shared
 *       {@link RetryBudget} has a token.
 *   <li><b>CircuitBreaker</b>, one per endpoint, counts only {@link StatusPolicy#isServerUnwell
 *       server-unwell} failures; caller mistakes count as answered calls, and bulkhead rejections
 *       and cancellations are not counted at all.
 *   <li><b>Bulkhead</b> inside the breaker: a call rejected for lack of room never reached the
 *       server, so it says nothing about the server's health.
 *   <li><b>Time limit</b>: the gRPC deadline of the call, computed once when the call starts and
 *       given to every attempt, instead of a Resilience4j TimeLimiter: it is propagated to the
 *       server (which drops work whose deadline passed) and bounds the retries too: no retry is
 *       scheduled whose wait would end at or after it; the call fails at once instead.
 * </ul>
 *
 * <p>Thread-safe. Time comes from the injected {@link Clock}: the open-state wait ({@link
 * OpenWait}, as Resilience4j's public API gives a breaker no clock) and slow-call durations; a TIME
 * window's buckets follow the system clock, which is the injected one outside tests. Retry waits
 * are scheduled on the injected scheduler.
 */
public final class ResilienceFactory {

  private final BreakerConfig breakerConfig;
  private final RetryConfig retryConfig;
  private final int maxConcurrentCalls;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final BreakerListener listener;
  private final RetryBudget budget;
  private final Backoff backoff;
  private final Retry retry;

  /**
   * @param breaker the breaker each endpoint's guard gets
   * @param retry how failed calls are retried
   * @param maxConcurrentCalls the bulkhead: calls in flight per endpoint
   * @param random values in [0, 1) for the backoff's jitter
   * @param scheduler runs retries after their wait; the caller owns it
   */
  public ResilienceFactory(
      BreakerConfig breaker,
      RetryConfig retry,
      int maxConcurrentCalls,
      Clock clock,
      DoubleSupplier random,
      ScheduledExecutorService scheduler,
      BreakerListener listener) {
    this.breakerConfig = breaker;
    this.retryConfig = retry;
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.clock = clock;
    this.scheduler = scheduler;
    this.listener = listener;
    this.budget = new RetryBudget(retryConfig.budgetRatio(), retryConfig.budgetMinimum());
    this.backoff = new Backoff(retryConfig, random);
    this.retry =
        Retry.of(
            "swinserve",
            io.github.resilience4j.retry.RetryConfig.custom()
                .maxAttempts(retryConfig.maxAttempts())
                .retryOnException(failure -> StatusPolicy.isRetryable(unwrap(failure)))
                .intervalBiFunction(backoff)
                .build());
  }

  /** A new endpoint guard: its own breaker (reporting to the listener) and bulkhead. */
  public Guard guard(String endpoint) {
    BreakerConfig breaker = breakerConfig;
    CircuitBreakerConfig breakerConfig =
        CircuitBreakerConfig.custom()
            .slidingWindow(
                breaker.windowSize(),
                breaker.minimumCalls(),
                breaker.windowType() == BreakerConfig.WindowType.COUNT
                    ? CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                    : CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
            .failureRateThreshold(breaker.failureRateThresholdPercent())
            .slowCallDurationThreshold(breaker.slowCallDuration())
            .slowCallRateThreshold(breaker.slowCallRateThresholdPercent())
            .waitDurationInOpenState(OpenWait.BEYOND_REACH)
            .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenProbes())
            .recordException(failure -> StatusPolicy.isServerUnwell(unwrap(failure)))
            .ignoreException(
                failure ->
                    unwrap(failure) instanceof BulkheadFullException
                        || StatusPolicy.code(unwrap(failure)) == Status.Code.CANCELLED)
            .currentTimestampFunction(breakerClock -> clock.millis(), TimeUnit.MILLISECONDS)
            .build();
    CircuitBreaker circuitBreaker = CircuitBreaker.of(endpoint, breakerConfig);
    OpenWait openWait = new OpenWait(circuitBreaker, clock, breaker.waitInOpenState());
    circuitBreaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              openWait.onTransition(event.getStateTransition().getToState());
              listener.onStateChange(
                  endpoint,
                  event.getStateTransition().getFromState(),
                  event.getStateTransition().getToState());
            });
    Bulkhead bulkhead =
        Bulkhead.of(
            endpoint,
            BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrentCalls)
                .maxWaitDuration(Duration.ZERO)
                .build());
    return new Guard(endpoint, circuitBreaker, bulkhead, openWait);
  }

  /**
   * Runs one call: {@code attempt} once per attempt, against the guard {@code select} picks for
   * that attempt, composed as the class comment says, within {@code deadline} (the one every
   * attempt is given): a retry whose wait would end at or after it is not made. The future fails
   * with the last attempt's failure, unwrapped (a {@code StatusRuntimeException}, or Resilience4j's
   * {@code CallNotPermittedException} / {@code BulkheadFullException} when refused locally), as
   * soon as no further attempt will be made.
   */
  public <T> CompletableFuture<T> execute(
      Supplier<Guard> select, Function<Guard, CompletionStage<T>> attempt, Deadline deadline) {
    budget.recordCall();
    return new RetriedCall<>(
            select,
            attempt,
            Objects.requireNonNull(deadline, "deadline"),
            retry.<T>asyncContext(),
            budget,
            scheduler)
        .start();
  }

  /**
   * The wait before a broken stream is reopened, the streaming counterpart of Retry; empty when it
   * may not be: the failure is not {@link StatusPolicy#isRetryable retryable}, {@code maxAttempts -
   * 1} reconnections in a row have failed already, the wait (as {@link Backoff} computes it for a
   * retry) would end at or after {@code deadline}, or the shared budget has no token (one is spent
   * when a wait is returned).
   *
   * @param failedInARow reconnections already tried since the stream last received an answer
   */
  public Optional<Duration> reconnectWait(Throwable failure, int failedInARow, Deadline deadline) {
    Throwable cause = unwrap(failure);
    if (!StatusPolicy.isRetryable(cause) || failedInARow >= retryConfig.maxAttempts() - 1) {
      return Optional.empty();
    }
    long waitMillis = backoff.apply(failedInARow + 1, Either.left(cause));
    if (!endsBefore(waitMillis, deadline) || !budget.tryAcquireRetry()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(waitMillis));
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

  /** Whether a wait of {@code waitMillis} starting now ends before {@code deadline}. */
  static boolean endsBefore(long waitMillis, Deadline deadline) {
    return TimeUnit.MILLISECONDS.toNanos(waitMillis) < deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }

  /** One endpoint's breaker and bulkhead. Thread-safe. */
  public static final class Guard {

    private final String endpoint;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final OpenWait openWait;

    private Guard(
        String endpoint, CircuitBreaker circuitBreaker, Bulkhead bulkhead, OpenWait openWait) {
      this.endpoint = endpoint;
      this.circuitBreaker = circuitBreaker;
      this.bulkhead = bulkhead;
      this.openWait = openWait;
    }

    public String endpoint() {
      return endpoint;
    }

    /**
     * Asks the breaker to admit one call that {@link #execute} does not run (a stream attempt); its
     * outcome must then be reported to the permit, exactly once.
     *
     * @throws CallNotPermittedException when the breaker refuses (open, or half-open with every
     *     probe taken); the refusal is counted
     */
    public BreakerPermit acquire() {
      openWait.halfOpenIfOver();
      circuitBreaker.acquirePermission();
      return new BreakerPermit(circuitBreaker);
    }

    /**
     * Whether the breaker would let a call through now, without taking a permit or counting a
     * refusal.
     */
    public boolean mayAdmit() {
      return circuitBreaker.getState() != CircuitBreaker.State.OPEN || openWait.over();
    }

    public BreakerSnapshot snapshot() {
      return BreakerSnapshot.of(endpoint, circuitBreaker);
    }

    /** {@code call} inside the bulkhead, inside the breaker, as the class comment orders them. */
    <T> Supplier<CompletionStage<T>> protect(Supplier<CompletionStage<T>> call) {
      Supplier<CompletionStage<T>> guarded =
          CircuitBreaker.decorateCompletionStage(
              circuitBreaker, Bulkhead.decorateCompletionStage(bulkhead, call));
      return () -> {
        openWait.halfOpenIfOver();
        return guarded.get();
      };
    }
  }
}
