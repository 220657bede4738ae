package dev.swinserve.server.scheduling;

import java.time.Duration;

/**
 * A bounded queue is full; the call was not computed. Retrying after {@link #retryAfter()} is
 * likely to succeed; clients receive it as {@code grpc-retry-pushback-ms}.
 */
public class OverloadedException extends RuntimeException {

  private final Duration retryAfter;

  public OverloadedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
