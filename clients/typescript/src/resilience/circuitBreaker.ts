import type { BreakerConfig, Clock } from "../config.js";

export type BreakerState = "CLOSED" | "OPEN" | "HALF_OPEN";

/** One endpoint's breaker at a moment; the Java client's BreakerSnapshot. */
export interface BreakerSnapshot {
  endpoint: string;
  state: BreakerState;
  /** -1 until the window holds the minimum number of calls. */
  failureRatePercent: number;
  /** -1 likewise. */
  slowCallRatePercent: number;
  bufferedCalls: number;
  failedCalls: number;
  /** Calls refused because the breaker was open, since it was created. */
  rejectedCalls: number;
}

interface Outcome {
  failed: boolean;
  slow: boolean;
}

/** The last `size` outcomes. */
class CountWindow {
  private readonly outcomes: Outcome[] = [];

  constructor(
    private readonly size: number,
    private readonly minimum: number,
  ) {}

  record(outcome: Outcome): void {
    this.outcomes.push(outcome);
    if (this.outcomes.length > this.size) {
      this.outcomes.shift();
    }
  }

  get buffered(): number {
    return this.outcomes.length;
  }

  get failed(): number {
    return this.outcomes.filter((outcome) => outcome.failed).length;
  }

  /** [failure rate, slow-call rate] in percent, or -1 each while below the minimum. */
  rates(): [number, number] {
    if (this.outcomes.length < this.minimum) {
      return [-1, -1];
    }
    const slow = this.outcomes.filter((outcome) => outcome.slow).length;
    return [(this.failed * 100) / this.outcomes.length, (slow * 100) / this.outcomes.length];
  }
}

/**
 * A count-based circuit breaker with Resilience4j's semantics, as the Java client configures it:
 * CLOSED, it judges the last `windowSize` calls once it holds `min(minimumCalls, windowSize)` and
 * opens when the failure rate or the slow-call rate reaches its threshold; OPEN, it refuses every
 * call for `waitInOpenStateMs` (by the injected clock), then the next call asking for permission
 * moves it to HALF_OPEN, which lets `halfOpenProbes` calls through and closes or opens again by
 * their rates. Single-threaded, as everything in Node is.
 */
export class CircuitBreaker {
  private current: BreakerState = "CLOSED";
  private window: CountWindow;
  private openedAt = 0;
  private probesLeft = 0;
  private rejected = 0;

  constructor(
    readonly endpoint: string,
    private readonly config: BreakerConfig,
    private readonly clock: Clock,
    private readonly onTransition: (from: BreakerState, to: BreakerState) => void = () => {},
  ) {
    this.window = this.closedWindow();
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a call would be let through now, without taking a permit or counting a refusal. */
  mayAdmit(): boolean {
    return this.current !== "OPEN" || this.clock.now() - this.openedAt >= this.config.waitInOpenStateMs;
  }

  /**
   * Asks permission for one call, whose outcome must then be reported once (onSuccess, onFailure
   * or release). Returns false, counting a refusal, when open or when half-open with every probe
   * taken.
   */
  tryAcquire(): boolean {
    if (this.current === "OPEN" && this.clock.now() - this.openedAt > this.config.waitInOpenStateMs) {
      this.transition("HALF_OPEN");
    }
    if (this.current === "CLOSED") {
      return true;
    }
    if (this.current === "HALF_OPEN" && this.probesLeft > 0) {
      this.probesLeft--;
      return true;
    }
    this.rejected++;
    return false;
  }

  /** Why tryAcquire refused, for the UNAVAILABLE the call then fails with. */
  refusal(): string {
    const state = this.current === "OPEN" ? "open" : "half-open with every probe taken";
    return `circuit breaker of endpoint ${this.endpoint} is ${state} and does not permit further calls`;
  }

  onSuccess(durationMs: number): void {
    this.record({ failed: false, slow: durationMs >= this.config.slowCallDurationMs });
  }

  onFailure(durationMs: number): void {
    this.record({ failed: true, slow: durationMs >= this.config.slowCallDurationMs });
  }

  /** The permitted call never reached the server (or was cancelled): counts nothing. */
  release(): void {
    if (this.current === "HALF_OPEN") {
      this.probesLeft = Math.min(this.config.halfOpenProbes, this.probesLeft + 1);
    }
  }

  snapshot(): BreakerSnapshot {
    const [failureRatePercent, slowCallRatePercent] = this.window.rates();
    return {
      endpoint: this.endpoint,
      state: this.current,
      failureRatePercent,
      slowCallRatePercent,
      bufferedCalls: this.window.buffered,
      failedCalls: this.window.failed,
      rejectedCalls: this.rejected,
    };
  }

  private record(outcome: Outcome): void {
    if (this.current === "OPEN") {
      return; // a call admitted before the breaker opened: the open state counts nothing
    }
    this.window.record(outcome);
    const [failureRate, slowRate] = this.window.rates();
    if (failureRate < 0) {
      return;
    }
    const unwell =
      failureRate >= this.config.failureRateThresholdPercent ||
      slowRate >= this.config.slowCallRateThresholdPercent;
    if (unwell) {
      this.transition("OPEN");
    } else if (this.current === "HALF_OPEN") {
      this.transition("CLOSED");
    }
  }

  private transition(to: BreakerState): void {
    const from = this.current;
    this.current = to;
    if (to === "OPEN") {
      this.openedAt = this.clock.now();
    } else if (to === "HALF_OPEN") {
      this.probesLeft = this.config.halfOpenProbes;
      this.window = new CountWindow(this.config.halfOpenProbes, this.config.halfOpenProbes);
    } else {
      this.window = this.closedWindow();
    }
    this.onTransition(from, to);
  }

  private closedWindow(): CountWindow {
    return new CountWindow(
      this.config.windowSize,
      Math.min(this.config.minimumCalls, this.config.windowSize),
    );
  }
}
