package dev.swinserve.client.resilience;

import dev.swinserve.api.RetryPushback;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;

/**
 * What a failed call says about the server: the one place that decides which statuses open a
 * breaker and which are retried.
 */
public final class StatusPolicy {

  private StatusPolicy() {}

  /**
   * Whether {@code failure} means the server is unwell, so counts against its breaker: UNAVAILABLE,
   * DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, and RESOURCE_EXHAUSTED when the server sent it as load
   * shedding (with a pushback trailer; without one it is an oversized message, the caller's doing).
   * Caller mistakes (INVALID_ARGUMENT, NOT_FOUND, ...) never count.
   */
  public static boolean isServerUnwell(Throwable failure) {
    if (!(failure instanceof StatusRuntimeException e)) {
      return false;
    }
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN -> true;
      case RESOURCE_EXHAUSTED -> RetryPushback.isPresent(e.getTrailers());
      default -> false;
    };
  }

  /**
   * Whether another attempt may succeed: UNAVAILABLE (loading, shutting down, unreachable) and shed
   * RESOURCE_EXHAUSTED unless the server's pushback says not to retry (a negative value).
   * DEADLINE_EXCEEDED is not retried: the deadline covers the whole call, retries included.
   */
  public static boolean isRetryable(Throwable failure) {
    if (!(failure instanceof StatusRuntimeException e)) {
      return false;
    }
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE -> pushback(e).map(wait -> !wait.isNegative()).orElse(true);
      case RESOURCE_EXHAUSTED -> pushback(e).map(wait -> !wait.isNegative()).orElse(false);
      default -> false;
    };
  }

  /**
   * The wait the server asked for, if it sent a well-formed pushback trailer ({@link
   * RetryPushback}); negative: do not retry.
   */
  public static Optional<Duration> pushback(Throwable failure) {
    return failure instanceof StatusRuntimeException e
        ? RetryPushback.read(e.getTrailers())
        : Optional.empty();
  }

  /** The code of {@code failure}, UNKNOWN for anything that is not a gRPC status. */
  public static Status.Code code(Throwable failure) {
    return Status.fromThrowable(failure).getCode();
  }
}
