package dev.swinserve.client.resilience;

import io.github.resilience4j.retry.Retry;
import io.grpc.Deadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The attempts of one call, as {@link ResilienceFactory#execute} composes them. Each attempt goes
 * through the breaker and bulkhead of the endpoint picked for it. After a failed attempt another is
 * made only if the shared {@link Retry} allows one (a retryable failure, attempts left; the wait
 * from {@link Backoff}), the wait ends before the call's deadline, and the budget has a token;
 * otherwise the call fails at once with that attempt's failure. A retry that could only start at or
 * after the deadline would fail DEADLINE_EXCEEDED without reaching the server, so waiting for it
 * would hold the caller and hide the real cause.
 *
 * <p>The attempts are driven through the Retry's own {@link Retry.AsyncContext}, so its events and
 * metrics cover them; a call stopped by its deadline or the budget after the Retry allowed another
 * attempt is counted by neither of its failure counters. Thread-safe: one attempt runs at a time.
 */
final class RetriedCall<T> {

  private final Supplier<ResilienceFactory.Guard> select;
  private final Function<ResilienceFactory.Guard, CompletionStage<T>> attempt;
  private final Deadline deadline;
  private final Retry.AsyncContext<T> retry;
  private final RetryBudget budget;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<T> result = new CompletableFuture<>();

  RetriedCall(
      Supplier<ResilienceFactory.Guard> select,
      Function<ResilienceFactory.Guard, CompletionStage<T>> attempt,
      Deadline deadline,
      Retry.AsyncContext<T> retry,
      RetryBudget budget,
      ScheduledExecutorService scheduler) {
    this.select = select;
    this.attempt = attempt;
    this.deadline = deadline;
    this.retry = retry;
    this.budget = budget;
    this.scheduler = scheduler;
  }

  /**
   * Makes the first attempt; the future completes with the call's answer or last failure,
   * unwrapped.
   */
  CompletableFuture<T> start() {
    attemptOnce();
    return result;
  }

  private void attemptOnce() {
    ResilienceFactory.Guard guard = select.get();
    Supplier<CompletionStage<T>> call = guard.protect(() -> attempt.apply(guard));
    call.get()
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                retry.onComplete();
                result.complete(value);
              } else {
                afterFailure(ResilienceFactory.unwrap(failure));
              }
            });
  }

  private void afterFailure(Throwable failure) {
    long waitMillis = retry.onError(failure);
    if (waitMillis < 0
        || !ResilienceFactory.endsBefore(waitMillis, deadline)
        || !budget.tryAcquireRetry()) {
      result.completeExceptionally(failure);
      return;
    }
    try {
      scheduler.schedule(this::attemptOnce, waitMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException clientClosed) {
      result.completeExceptionally(failure);
    }
  }
}
