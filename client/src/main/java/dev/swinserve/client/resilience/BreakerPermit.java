package dev.swinserve.client.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An endpoint breaker's permission for one call that {@link ResilienceFactory#execute} does not
 * run, such as one attempt of a stream, and the single report of how it went. The first report
 * counts; later ones are ignored, so callbacks may report freely. Thread-safe.
 *
 * <p>Every outcome is recorded with a duration of zero, so such calls are never slow calls: a
 * stream lives as long as its caller keeps sending, hours for a healthy one, and its answers wait
 * on the caller's requests as much as on the server, so no duration of it says the server is slow.
 * The breaker judges slowness by unary calls; a stream's failures still count.
 */
public final class BreakerPermit {

  private final CircuitBreaker breaker;
  private final AtomicBoolean reported = new AtomicBoolean();

  BreakerPermit(CircuitBreaker breaker) {
    this.breaker = breaker;
  }

  /** The call was answered, or ended well: a success. */
  public void succeeded() {
    if (reported.compareAndSet(false, true)) {
      breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The call ended with {@code failure}, judged as a unary call's failure is: an error when it
   * means the server is unwell ({@link StatusPolicy#isServerUnwell}), not counted at all when
   * CANCELLED, and otherwise (a caller mistake) a call the server answered.
   */
  public void failed(Throwable failure) {
    if (reported.compareAndSet(false, true)) {
      breaker.onError(0, TimeUnit.NANOSECONDS, ResilienceFactory.unwrap(failure));
    }
  }

  /** The call never reached the server: gives the permission back, counting nothing. */
  public void release() {
    if (reported.compareAndSet(false, true)) {
      breaker.releasePermission();
    }
  }
}
