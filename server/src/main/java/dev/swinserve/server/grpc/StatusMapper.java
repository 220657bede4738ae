package dev.swinserve.server.grpc;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.registry.LabelInConfigException;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelUnavailableException;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.EndpointNotFoundException;
import dev.swinserve.server.routing.InvalidEndpointException;
import dev.swinserve.server.scheduling.DeadlineExpiredException;
import dev.swinserve.server.scheduling.OverloadedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where the server's exceptions become gRPC statuses. Anything not listed here is a
 * bug and becomes INTERNAL (and is logged), never UNKNOWN.
 */
public final class StatusMapper {

  private static final System.Logger LOG = System.getLogger(StatusMapper.class.getName());

  private StatusMapper() {}

  public static Status toStatus(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof StatusRuntimeException status) {
      return status.getStatus();
    }
    if (cause instanceof StatusException status) {
      return status.getStatus();
    }
    if (cause instanceof ModelNotFoundException || cause instanceof EndpointNotFoundException) {
      return Status.NOT_FOUND.withDescription(cause.getMessage());
    }
    if (cause instanceof LabelInConfigException) {
      return Status.FAILED_PRECONDITION.withDescription(cause.getMessage());
    }
    if (cause instanceof ModelUnavailableException) {
      return Status.UNAVAILABLE.withDescription(cause.getMessage());
    }
    if (cause instanceof ImageDecodeException || cause instanceof InvalidInputException
        || cause instanceof InvalidEndpointException
        || cause instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(cause.getMessage());
    }
    if (cause instanceof OverloadedException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage());
    }
    if (cause instanceof DeadlineExpiredException) {
      return Status.DEADLINE_EXCEEDED.withDescription(cause.getMessage());
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("cancelled");
    }
    LOG.log(System.Logger.Level.ERROR, "unexpected error while serving a call", cause);
    return Status.INTERNAL.withDescription("internal error: " + cause);
  }

  /** Trailer that tells gRPC clients (and swinserve's) when to retry an overloaded call. */
  static final Metadata.Key<String> RETRY_PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** The status, with a retry pushback trailer when the server is overloaded. */
  public static StatusRuntimeException toException(Throwable error) {
    Status status = toStatus(error);
    Throwable cause = unwrap(error);
    if (cause instanceof OverloadedException overloaded) {
      Metadata trailers = new Metadata();
      trailers.put(RETRY_PUSHBACK, Long.toString(overloaded.retryAfter().toMillis()));
      return status.asRuntimeException(trailers);
    }
    return status.asRuntimeException();
  }

  /** The standard {@code google.rpc.Status} of a per-request stream error. */
  public static com.google.rpc.Status toRpcStatus(Throwable error) {
    Status status = toStatus(error);
    com.google.rpc.Status.Builder rpcStatus = com.google.rpc.Status.newBuilder()
        .setCode(status.getCode().value())
        .setMessage(status.getDescription() == null ? "" : status.getDescription());
    if (unwrap(error) instanceof OverloadedException overloaded) {
      long millis = overloaded.retryAfter().toMillis();
      rpcStatus.addDetails(com.google.protobuf.Any.pack(com.google.rpc.RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder()
              .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
          .build()));
    }
    return rpcStatus.build();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
