package dev.swinserve.server.grpc;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.registry.InvalidNameException;
import dev.swinserve.registry.LabelInConfigException;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelUnavailableException;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.EndpointNotFoundException;
import dev.swinserve.server.routing.InvalidEndpointException;
import dev.swinserve.server.scheduling.DeadlineExpiredException;
import dev.swinserve.server.scheduling.OverloadedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place where the server's exceptions become gRPC statuses. Client faults are domain
 * exceptions and map to their code with their message; anything else is a fault of the server,
 * answered INTERNAL with only {@code "internal error; error id <id>"} while the ERROR log line
 * carries the same id and the stack, so an operator can find what a client reports. Never UNKNOWN.
 *
 * <p>Every description is cut to {@link #MAX_DESCRIPTION_BYTES} UTF-8 bytes, so that no reply's
 * {@code grpc-message} header (percent-encoded, at most three times that) can pass the 8 KiB header
 * lists HTTP/2 peers accept by default, whatever names a caller sends.
 */
public final class StatusMapper {

  private static final System.Logger LOG = System.getLogger(StatusMapper.class.getName());

  /** Longest status description sent, in UTF-8 bytes. */
  static final int MAX_DESCRIPTION_BYTES = 1024;

  private StatusMapper() {}

  public static Status toStatus(Throwable error) {
    Status status = mapped(unwrap(error));
    return status.getDescription() == null
        ? status
        : status.withDescription(bounded(status.getDescription()));
  }

  private static Status mapped(Throwable cause) {
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
    if (cause instanceof ImageDecodeException
        || cause instanceof InvalidInputException
        || cause instanceof InvalidEndpointException
        || cause instanceof InvalidNameException) {
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
    String id = errorId();
    LOG.log(
        System.Logger.Level.ERROR,
        "internal error; error id " + id + ": unexpected error while serving a call",
        cause);
    return Status.INTERNAL.withDescription("internal error; error id " + id).withCause(cause);
  }

  /** 16 hex digits: unique enough to find one log line, short enough to read out. */
  private static String errorId() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }

  /** {@code description}, or as much of it as fits with a note of how much was cut. */
  static String bounded(String description) {
    // A char takes at most 3 UTF-8 bytes: a short description needs no encoding to be judged.
    if (description.length() * 3L <= MAX_DESCRIPTION_BYTES
        || description.getBytes(StandardCharsets.UTF_8).length <= MAX_DESCRIPTION_BYTES) {
      return description;
    }
    int budget = MAX_DESCRIPTION_BYTES - 64; // room for the note
    int kept = 0;
    for (int bytes = 0; kept < description.length(); ) {
      int codePoint = description.codePointAt(kept);
      bytes += utf8Length(codePoint);
      if (bytes > budget) {
        break;
      }
      kept += Character.charCount(codePoint);
    }
    return description.substring(0, kept)
        + "... ("
        + (description.length() - kept)
        + " more characters cut)";
  }

  /** Bytes of {@code codePoint} in UTF-8 (a lone surrogate counted as 3, more than it takes). */
  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }

  /**
   * The failure {@code error} makes, mapped once: a server fault is logged here, under the error id
   * its description carries.
   */
  public static CallFailure toFailure(Throwable error) {
    Optional<Duration> retryAfter =
        unwrap(error) instanceof OverloadedException overloaded
            ? Optional.of(overloaded.retryAfter())
            : Optional.empty();
    return new CallFailure(toStatus(error), retryAfter);
  }

  /** The status, with a retry pushback trailer when the server is overloaded. */
  public static StatusRuntimeException toException(Throwable error) {
    return toFailure(error).asException();
  }

  /** The standard {@code google.rpc.Status} of a per-request stream error. */
  public static com.google.rpc.Status toRpcStatus(Throwable error) {
    return toFailure(error).asRpcStatus();
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
