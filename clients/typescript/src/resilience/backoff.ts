import type { RetryConfig } from "../config.js";
import type { SwinserveError } from "../errors.js";
import { readPushback } from "./pushback.js";

/**
 * The wait in milliseconds before attempt `failures + 1`: the server's pushback when it sent a
 * non-negative one (it knows its queue better than we do), else exponential backoff with jitter.
 * `random` yields values in [0, 1).
 */
export function backoffMs(
  config: RetryConfig,
  failures: number,
  failure: SwinserveError,
  random: () => number,
): number {
  const pushback = readPushback(failure.metadata);
  if (pushback !== undefined && pushback >= 0) {
    return pushback;
  }
  const backoff = Math.min(
    config.maxBackoffMs,
    config.initialBackoffMs * Math.pow(config.multiplier, failures - 1),
  );
  const jittered = backoff * (1 - config.jitter + 2 * config.jitter * random());
  return Math.max(1, Math.round(jittered));
}
