import type { ClientConfig, Clock } from "../config.js";
import type { Deadline } from "../deadline.js";
import { SwinserveError, asSwinserveError } from "../errors.js";
import { backoffMs } from "./backoff.js";
import { CircuitBreaker, type BreakerState } from "./circuitBreaker.js";
import { Guard } from "./guard.js";
import { RetryBudget } from "./retryBudget.js";
import { Scheduler } from "./scheduler.js";
import { isRetryable } from "./statusPolicy.js";

type BreakerListener = (endpoint: string, from: BreakerState, to: BreakerState) => void;

/**
 * The one place that decides how a call is protected, outermost first, as in the Java client's
 * ResilienceFactory:
 *
 *     Retry( CircuitBreaker( Bulkhead( call with its gRPC deadline ) ) )   per attempt: a fresh endpoint
 *
 * Retry is outermost so each attempt asks a breaker again (a refusal is not retried) and may go to
 * another endpoint. Only retryable statuses are retried, after the backoff (the server's pushback,
 * else exponential with jitter), while the shared budget has a token, and never when the wait
 * would end at or after the call's deadline: the call then fails at once with its last failure.
 * The deadline is computed once per call, given to every attempt and sent to the server. Retries
 * happen only here: the channels have gRPC's own retries switched off.
 */
export class Resilience {
  readonly budget: RetryBudget;
  readonly scheduler = new Scheduler();

  constructor(
    private readonly config: ClientConfig,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly listener: BreakerListener = () => {},
  ) {
    this.budget = new RetryBudget(config.retry.budgetRatio, config.retry.budgetMinimum);
  }

  /** A new endpoint's breaker and bulkhead. */
  guard(endpoint: string): Guard {
    const breaker = new CircuitBreaker(endpoint, this.config.breaker, this.clock, (from, to) =>
      this.listener(endpoint, from, to),
    );
    return new Guard(breaker, this.config.maxConcurrentCalls, this.clock);
  }

  /** Runs one call: `attempt` once per attempt on the guard `pick` gives, composed as above. */
  async execute<T>(pick: () => Guard, attempt: (guard: Guard) => Promise<T>, deadline: Deadline): Promise<T> {
    this.budget.recordCall();
    for (let failures = 1; ; failures++) {
      const guard = pick();
      try {
        return await guard.protect(() => attempt(guard));
      } catch (thrown) {
        const failure = asSwinserveError(thrown);
        const wait = this.retryWait(failure, failures, deadline);
        if (wait === undefined) {
          throw failure;
        }
        await this.scheduler.sleep(wait).catch(() => {
          throw failure;
        });
      }
    }
  }

  /**
   * The wait before a broken stream is reopened, the streaming counterpart of a retry; undefined
   * when it may not be (as for a retry; `failedInARow` reconnections without an answer between).
   */
  reconnectWait(failure: SwinserveError, failedInARow: number, deadline: Deadline): number | undefined {
    return this.retryWait(failure, failedInARow + 1, deadline);
  }

  close(): void {
    this.scheduler.close();
  }

  /** After `failures` failed attempts: the wait before the next one, spending a budget token. */
  private retryWait(failure: SwinserveError, failures: number, deadline: Deadline): number | undefined {
    if (!isRetryable(failure) || failures >= this.config.retry.maxAttempts) {
      return undefined;
    }
    const wait = backoffMs(this.config.retry, failures, failure, this.random);
    if (!deadline.allowsWait(wait) || !this.budget.tryAcquireRetry()) {
      return undefined;
    }
    return wait;
  }
}
