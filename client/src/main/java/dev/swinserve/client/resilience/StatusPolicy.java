package dev.swinserve.client.resilience;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;

/**
 * What a failed call says about the server: the one place that decides which statuses open a
 * breaker and which are retried.
 */
public final class StatusPolicy {

  /** The trailer an overloaded swinserve server sends with RESOURCE_EXHAUSTED. */
  public static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private StatusPolicy() {}

  /**
   * Whether {@code failure} means the server is unwell, so counts against its breaker:
   * UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, and RESOURCE_EXHAUSTED when the server
   * sent it as load shedding (with a pushback trailer; without one it is an oversized message, the
   * caller's doing). Caller mistakes (INVALID_ARGUMENT, NOT_FOUND, ...) never count.
   */
  public static boolean isServerUnwell(Throwable failure) {
    if (!(failure instanceof StatusRuntimeException e)) {
      return false;
    }
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN -> true;
      case RESOURCE_EXHAUSTED -> pushbackTrailer(e) != null;
      default -> false;
    };
  }

  /**
   * Whether another attempt may succeed: UNAVAILABLE (loading, shutting down, unreachable) and
   * shed RESOURCE_EXHAUSTED unless the server's pushback says not to retry (a negative value).
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

  /** The wait the server asked for, if it sent a well-formed pushback trailer; negative: do not retry. */
  public static Optional<Duration> pushback(Throwable failure) {
    if (!(failure instanceof StatusRuntimeException e)) {
      return Optional.empty();
    }
    String value = pushbackTrailer(e);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofMillis(Long.parseLong(value.trim())));
    } catch (NumberFormatException malformed) {
      return Optional.empty();
    }
  }

  /** The code of {@code failure}, UNKNOWN for anything that is not a gRPC status. */
  public static Status.Code code(Throwable failure) {
    return Status.fromThrowable(failure).getCode();
  }

  private static String pushbackTrailer(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    return trailers == null ? null : trailers.get(PUSHBACK);
  }
}
