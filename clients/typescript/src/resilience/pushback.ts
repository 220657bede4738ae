import type { Metadata } from "@grpc/grpc-js";

/**
 * The retry-pushback trailer (gRPC's retry design, gRFC A6): how many milliseconds to wait before
 * retrying a call the server shed; a negative value asks the client not to retry.
 */
export const PUSHBACK_KEY = "grpc-retry-pushback-ms";

/** Whether the trailers carry the key at all, well-formed or not. */
export function hasPushback(trailers: Metadata | undefined): boolean {
  return trailers !== undefined && trailers.get(PUSHBACK_KEY).length > 0;
}

/**
 * The wait the server asked for in milliseconds (negative: do not retry), or undefined when there
 * is no trailer or its value is not a whole number (surrounding spaces allowed), as the Java
 * client's RetryPushback reads it.
 */
export function readPushback(trailers: Metadata | undefined): number | undefined {
  const values = trailers?.get(PUSHBACK_KEY) ?? [];
  const value = values[0];
  if (typeof value !== "string") {
    return undefined;
  }
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) {
    return undefined;
  }
  const millis = Number(trimmed);
  return Number.isSafeInteger(millis) ? millis : undefined;
}
