package dev.swinserve.server.grpc;

import dev.swinserve.api.RetryPushback;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed call as its client will see it, mapped once by {@link StatusMapper} (so a server fault
 * is logged once, under one error id): the status, and the wait the server asks for before a retry
 * when it shed the call. A front door renders it either as the end of the call ({@link
 * #asException()}) or as one answer on a stream ({@link #asRpcStatus()}).
 *
 * @param status never OK; its description already bounded
 * @param retryAfter present when the server was overloaded
 */
public record CallFailure(Status status, Optional<Duration> retryAfter) {

  public Status.Code code() {
    return status.getCode();
  }

  /** The status, with a {@link RetryPushback} trailer when the server was overloaded. */
  public StatusRuntimeException asException() {
    return retryAfter
        .map(wait -> status.asRuntimeException(RetryPushback.trailers(wait)))
        .orElseGet(status::asRuntimeException);
  }

  /**
   * The standard {@code google.rpc.Status} of a per-request stream error, with RetryInfo when
   * overloaded.
   */
  public com.google.rpc.Status asRpcStatus() {
    com.google.rpc.Status.Builder rpcStatus =
        com.google.rpc.Status.newBuilder()
            .setCode(status.getCode().value())
            .setMessage(status.getDescription() == null ? "" : status.getDescription());
    retryAfter.ifPresent(
        wait -> {
          long millis = wait.toMillis();
          rpcStatus.addDetails(
              com.google.protobuf.Any.pack(
                  com.google.rpc.RetryInfo.newBuilder()
                      .setRetryDelay(
                          com.google.protobuf.Duration.newBuilder()
                              .setSeconds(millis / 1000)
                              .setNanos((int) (millis % 1000) * 1_000_000))
                      .build()));
        });
    return rpcStatus.build();
  }
}
