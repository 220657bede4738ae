import type { Clock } from "../config.js";
import { Status, SwinserveError, asSwinserveError } from "../errors.js";
import type { CircuitBreaker } from "./circuitBreaker.js";
import { isIgnoredByBreaker, isServerUnwell } from "./statusPolicy.js";

/**
 * A breaker's permission for one call that `Guard.protect` does not run (a stream attempt) and the
 * single report of how it went; later reports are ignored. Outcomes carry no duration, so a
 * stream is never a slow call (a healthy stream lives as long as its caller keeps sending).
 */
export class BreakerPermit {
  private reported = false;

  constructor(private readonly breaker: CircuitBreaker) {}

  succeeded(): void {
    if (this.once()) {
      this.breaker.onSuccess(0);
    }
  }

  /** Judged as a unary failure is: server-unwell counts, cancellation nothing, else an answer. */
  failed(failure: SwinserveError): void {
    if (!this.once()) {
      return;
    }
    if (isIgnoredByBreaker(failure)) {
      this.breaker.release();
    } else if (isServerUnwell(failure)) {
      this.breaker.onFailure(0);
    } else {
      this.breaker.onSuccess(0);
    }
  }

  release(): void {
    if (this.once()) {
      this.breaker.release();
    }
  }

  private once(): boolean {
    const first = !this.reported;
    this.reported = true;
    return first;
  }
}

/**
 * One endpoint's breaker and bulkhead. `protect` runs a call inside the bulkhead inside the
 * breaker: a call the bulkhead refuses never reached the server, so the breaker counts nothing.
 */
export class Guard {
  private inFlight = 0;

  constructor(
    readonly breaker: CircuitBreaker,
    private readonly maxConcurrentCalls: number,
    private readonly clock: Clock,
  ) {}

  get endpoint(): string {
    return this.breaker.endpoint;
  }

  async protect<T>(call: () => Promise<T>): Promise<T> {
    if (!this.breaker.tryAcquire()) {
      throw this.refusedByBreaker();
    }
    if (this.inFlight >= this.maxConcurrentCalls) {
      this.breaker.release();
      throw new SwinserveError(
        Status.RESOURCE_EXHAUSTED,
        `bulkhead of endpoint ${this.endpoint} is full: ${this.maxConcurrentCalls} calls in flight`,
        { refusedBy: "bulkhead" },
      );
    }
    this.inFlight++;
    const started = this.clock.now();
    try {
      const value = await call();
      this.breaker.onSuccess(this.clock.now() - started);
      return value;
    } catch (thrown) {
      const failure = asSwinserveError(thrown);
      const duration = this.clock.now() - started;
      if (isIgnoredByBreaker(failure)) {
        this.breaker.release();
      } else if (isServerUnwell(failure)) {
        this.breaker.onFailure(duration);
      } else {
        this.breaker.onSuccess(duration); // a caller mistake: the server answered
      }
      throw failure;
    } finally {
      this.inFlight--;
    }
  }

  /** A permit for a stream attempt, or a SwinserveError UNAVAILABLE thrown when refused. */
  acquire(): BreakerPermit {
    if (!this.breaker.tryAcquire()) {
      throw this.refusedByBreaker();
    }
    return new BreakerPermit(this.breaker);
  }

  private refusedByBreaker(): SwinserveError {
    return new SwinserveError(Status.UNAVAILABLE, this.breaker.refusal(), { refusedBy: "breaker" });
  }
}
