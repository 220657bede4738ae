package dev.swinserve.api;

import io.grpc.Metadata;
import java.time.Duration;
import java.util.Optional;

/**
 * The retry-pushback trailer, {@code grpc-retry-pushback-ms} (gRPC's retry design, gRFC A6): how
 * many milliseconds a client should wait before it retries a call the server shed; a negative value
 * asks it not to retry. A swinserve server sends it with RESOURCE_EXHAUSTED when a queue is full,
 * and both gRPC's own retry policy and swinserve's client honour it. Server and client take the
 * name, the format and the parsing from here, so the two sides cannot drift apart.
 *
 * <p>Stateless and thread-safe.
 */
public final class RetryPushback {

  /** The trailer's key: an ASCII decimal number of milliseconds. */
  public static final Metadata.Key<String> KEY =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private RetryPushback() {}

  /**
   * New trailers asking the client to wait {@code wait} (whole milliseconds, cut down) before it
   * retries.
   */
  public static Metadata trailers(Duration wait) {
    Metadata trailers = new Metadata();
    trailers.put(KEY, Long.toString(wait.toMillis()));
    return trailers;
  }

  /** Whether {@code trailers} (null for none) carry the key at all, well-formed or not. */
  public static boolean isPresent(Metadata trailers) {
    return trailers != null && trailers.containsKey(KEY);
  }

  /**
   * The wait the server asked for; negative: do not retry.
   *
   * @param trailers the call's trailers, null for none
   * @return empty if there are no trailers, no pushback, or a value that is not a whole number of
   *     milliseconds (surrounding spaces allowed)
   */
  public static Optional<Duration> read(Metadata trailers) {
    String value = trailers == null ? null : trailers.get(KEY);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofMillis(Long.parseLong(value.trim())));
    } catch (NumberFormatException malformed) {
      return Optional.empty();
    }
  }
}
