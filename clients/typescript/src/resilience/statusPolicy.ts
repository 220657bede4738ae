import { Status, SwinserveError } from "../errors.js";
import { hasPushback, readPushback } from "./pushback.js";

/**
 * What a failed call says about the server: the one place that decides which statuses count
 * against a breaker and which are retried (the Java client's StatusPolicy).
 */

/**
 * UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, and RESOURCE_EXHAUSTED sent as load
 * shedding (with a pushback trailer; without one it is an oversized message, the caller's doing).
 * Caller mistakes and the client's own refusals never count.
 */
export function isServerUnwell(failure: SwinserveError): boolean {
  if (failure.refusedBy !== undefined) {
    return false;
  }
  switch (failure.code) {
    case Status.UNAVAILABLE:
    case Status.DEADLINE_EXCEEDED:
    case Status.INTERNAL:
    case Status.UNKNOWN:
      return true;
    case Status.RESOURCE_EXHAUSTED:
      return hasPushback(failure.metadata);
    default:
      return false;
  }
}

/**
 * Whether another attempt may succeed: UNAVAILABLE, and RESOURCE_EXHAUSTED with a pushback
 * trailer, unless the pushback is negative. DEADLINE_EXCEEDED is not retried: the deadline covers
 * the whole call. A call the client refused itself (open breaker, full bulkhead) is not retried.
 */
export function isRetryable(failure: SwinserveError): boolean {
  if (failure.refusedBy !== undefined) {
    return false;
  }
  const pushback = readPushback(failure.metadata);
  switch (failure.code) {
    case Status.UNAVAILABLE:
      return pushback === undefined || pushback >= 0;
    case Status.RESOURCE_EXHAUSTED:
      return pushback !== undefined && pushback >= 0;
    default:
      return false;
  }
}

/** Whether a breaker ignores the outcome altogether: cancelled calls and bulkhead refusals. */
export function isIgnoredByBreaker(failure: SwinserveError): boolean {
  return failure.refusedBy === "bulkhead" || failure.code === Status.CANCELLED;
}
