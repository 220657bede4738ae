import type { ChannelCredentials, ChannelOptions } from "@grpc/grpc-js";
import type { BreakerState } from "./resilience/circuitBreaker.js";
import { checkTls, type TlsOptions } from "./tls.js";

/** How failed calls are retried; the Java client's RetryConfig. */
export interface RetryOptions {
  /** Attempts in all, the first included; 1 turns retries off. Default 3. */
  maxAttempts?: number;
  /** The wait before the first retry, before jitter. Default 100. */
  initialBackoffMs?: number;
  /** How much each further wait grows. Default 2. */
  multiplier?: number;
  /** The longest wait, before jitter. Default 2000. */
  maxBackoffMs?: number;
  /** A wait is drawn uniformly from backoff × (1 ± jitter); 0 to 1. Default 0.5. */
  jitter?: number;
  /** Retry tokens each call earns. Default 0.1. */
  budgetRatio?: number;
  /** Retry tokens at start, and the most that can be saved up. Default 10. */
  budgetMinimum?: number;
}

/** One endpoint's circuit breaker (a count window); the Java client's BreakerConfig. */
export interface BreakerOptions {
  /** Calls the failure rate is computed over. Default 20. */
  windowSize?: number;
  /** Calls the window must hold before the rate can open the breaker. Default 10. */
  minimumCalls?: number;
  /** Failure rate (server-unwell failures only) that opens it. Default 50. */
  failureRateThresholdPercent?: number;
  /** A call taking at least this long is slow. Default 5000. */
  slowCallDurationMs?: number;
  /** Slow-call rate that opens it. Default 80. */
  slowCallRateThresholdPercent?: number;
  /** How long it refuses every call before letting probes through. Default 10000. */
  waitInOpenStateMs?: number;
  /** Calls let through while half-open; their failure rate decides. Default 3. */
  halfOpenProbes?: number;
}

/** A monotonic clock in milliseconds; tests pass a manual one. */
export interface Clock {
  now(): number;
}

export interface ClientOptions {
  /** The deadline of a call (or stream) that names none; it spans every retry. Default 10000. */
  defaultDeadlineMs?: number;
  retry?: RetryOptions;
  breaker?: BreakerOptions;
  /** The bulkhead: calls in flight per endpoint; one more fails at once. Default 64. */
  maxConcurrentCalls?: number;
  /**
   * TLS, or mutual TLS with a client certificate, for every endpoint (the Java
   * `ClientConfig.withTls`). Default: none, plaintext.
   */
  tls?: TlsOptions;
  /**
   * grpc-js channel credentials of your own, instead of `tls` (never both). Default: plaintext,
   * or what `tls` says.
   */
  credentials?: ChannelCredentials;
  /** Extra grpc-js channel options (gRPC's own retries stay off). */
  channelOptions?: ChannelOptions;
  /** Told of every breaker transition, e.g. to log it. */
  onBreakerStateChange?: (endpoint: string, from: BreakerState, to: BreakerState) => void;
  /** For tests: the clock breakers time their open wait and slow calls by. */
  clock?: Clock;
  /** For tests: values in [0, 1) for the backoff's jitter. */
  random?: () => number;
}

export type RetryConfig = Required<RetryOptions>;
export type BreakerConfig = Required<BreakerOptions>;

export interface ClientConfig {
  defaultDeadlineMs: number;
  retry: RetryConfig;
  breaker: BreakerConfig;
  maxConcurrentCalls: number;
  /** Present when the client speaks TLS. */
  tls?: Readonly<TlsOptions>;
}

/** The Java ClientConfig.defaults(target), field by field. */
export const DEFAULTS: ClientConfig = Object.freeze({
  defaultDeadlineMs: 10_000,
  retry: Object.freeze({
    maxAttempts: 3,
    initialBackoffMs: 100,
    multiplier: 2,
    maxBackoffMs: 2_000,
    jitter: 0.5,
    budgetRatio: 0.1,
    budgetMinimum: 10,
  }),
  breaker: Object.freeze({
    windowSize: 20,
    minimumCalls: 10,
    failureRateThresholdPercent: 50,
    slowCallDurationMs: 5_000,
    slowCallRateThresholdPercent: 80,
    waitInOpenStateMs: 10_000,
    halfOpenProbes: 3,
  }),
  maxConcurrentCalls: 64,
});

/**
 * The options over the defaults, checked: anything not given keeps its default.
 * @throws RangeError naming the first setting out of range; TypeError for TLS options that are
 *   not paths, half a client certificate, or TLS options beside credentials
 */
export function resolveConfig(options: ClientOptions = {}): ClientConfig {
  const retry: RetryConfig = { ...DEFAULTS.retry, ...defined(options.retry) };
  const breaker: BreakerConfig = { ...DEFAULTS.breaker, ...defined(options.breaker) };
  const config: ClientConfig = {
    defaultDeadlineMs: options.defaultDeadlineMs ?? DEFAULTS.defaultDeadlineMs,
    retry,
    breaker,
    maxConcurrentCalls: options.maxConcurrentCalls ?? DEFAULTS.maxConcurrentCalls,
  };
  positive(config.defaultDeadlineMs, "defaultDeadlineMs");
  atLeastOne(config.maxConcurrentCalls, "maxConcurrentCalls");
  atLeastOne(retry.maxAttempts, "retry.maxAttempts");
  positive(retry.initialBackoffMs, "retry.initialBackoffMs");
  positive(retry.maxBackoffMs, "retry.maxBackoffMs");
  within(retry.multiplier, 1, Infinity, "retry.multiplier");
  within(retry.jitter, 0, 1, "retry.jitter");
  within(retry.budgetRatio, 0, Infinity, "retry.budgetRatio");
  within(retry.budgetMinimum, 0, Infinity, "retry.budgetMinimum");
  atLeastOne(breaker.windowSize, "breaker.windowSize");
  atLeastOne(breaker.minimumCalls, "breaker.minimumCalls");
  percent(breaker.failureRateThresholdPercent, "breaker.failureRateThresholdPercent");
  positive(breaker.slowCallDurationMs, "breaker.slowCallDurationMs");
  percent(breaker.slowCallRateThresholdPercent, "breaker.slowCallRateThresholdPercent");
  positive(breaker.waitInOpenStateMs, "breaker.waitInOpenStateMs");
  atLeastOne(breaker.halfOpenProbes, "breaker.halfOpenProbes");
  if (options.tls !== undefined) {
    if (options.credentials !== undefined) {
      throw new TypeError("give tls or credentials, not both");
    }
    config.tls = checkTls(options.tls);
  }
  return config;
}

function defined<T extends object>(options: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(options ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function positive(value: number, name: string): void {
  if (typeof value !== "number" || !(value > 0) || value === Infinity) {
    throw new RangeError(`${name} must be positive, was ${value}`);
  }
}

function percent(value: number, name: string): void {
  if (typeof value !== "number" || !(value > 0 && value <= 100)) {
    throw new RangeError(`${name} must be within (0, 100], was ${value}`);
  }
}

function atLeastOne(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer of at least 1, was ${value}`);
  }
}

function within(value: number, min: number, max: number, name: string): void {
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    throw new RangeError(`${name} must be within [${min}, ${max}], was ${value}`);
  }
}
