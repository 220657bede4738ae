import { Metadata, status as Status, type ServiceError } from "@grpc/grpc-js";

export { Status };

/**
 * Every failure the client reports: `code` is the gRPC status (a number of `Status`), `details`
 * the status message, `metadata` the call's trailers (empty for failures decided in the client:
 * an open breaker, a full bulkhead).
 */
export class SwinserveError extends Error {
  readonly code: Status;
  readonly details: string;
  readonly metadata: Metadata;
  /** Why the client itself refused the call, when it did: it never reached the server. */
  readonly refusedBy: "breaker" | "bulkhead" | undefined;

  constructor(
    code: Status,
    details: string,
    options: { metadata?: Metadata; cause?: unknown; refusedBy?: "breaker" | "bulkhead" } = {},
  ) {
    super(`${Status[code] ?? code}: ${details}`, { cause: options.cause });
    this.name = "SwinserveError";
    this.code = code;
    this.details = details;
    this.metadata = options.metadata ?? new Metadata();
    this.refusedBy = options.refusedBy;
  }

  /** The status's name, e.g. "UNAVAILABLE". */
  get codeName(): string {
    return Status[this.code] ?? String(this.code);
  }
}

/** Whatever a grpc-js call failed with, as a SwinserveError (anything else is UNKNOWN). */
export function asSwinserveError(failure: unknown): SwinserveError {
  if (failure instanceof SwinserveError) {
    return failure;
  }
  if (isServiceError(failure)) {
    return new SwinserveError(failure.code, failure.details, {
      metadata: failure.metadata,
      cause: failure,
    });
  }
  const message = failure instanceof Error ? failure.message : String(failure);
  return new SwinserveError(Status.UNKNOWN, message, { cause: failure });
}

function isServiceError(failure: unknown): failure is ServiceError {
  return (
    failure instanceof Error &&
    typeof (failure as Partial<ServiceError>).code === "number" &&
    typeof (failure as Partial<ServiceError>).details === "string"
  );
}
