/**
 * A token bucket that keeps retries from multiplying load in an outage: every call earns `ratio`
 * tokens, every retry spends one, and a retry without a whole token is not made. The bucket
 * starts with, and holds at most, `minimum` tokens (at least one), so retries never exceed `ratio`
 * times the calls made plus `minimum`. No clock: the budget follows traffic, not time.
 */
export class RetryBudget {
  private readonly capacity: number;
  private available: number;

  constructor(
    private readonly ratio: number,
    minimum: number,
  ) {
    this.capacity = Math.max(1, minimum);
    this.available = minimum;
  }

  /** Records a call (not a retry): earns `ratio` tokens. */
  recordCall(): void {
    this.available = Math.min(this.capacity, this.available + this.ratio);
  }

  /** Spends a token for one retry; false, spending nothing, when there is no whole token. */
  tryAcquireRetry(): boolean {
    if (this.available < 1) {
      return false;
    }
    this.available -= 1;
    return true;
  }

  get tokens(): number {
    return this.available;
  }
}
