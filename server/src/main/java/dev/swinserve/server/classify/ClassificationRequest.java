package dev.swinserve.server.classify;

import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.scheduling.DeadlineExpiredException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A classification call in the server's own terms, free of protobuf.
 *
 * @param topK classes to return per image, at least 1
 * @param deadlineNanoTime {@link System#nanoTime()} after which the call must not be computed
 * @param routingKey keeps a caller on one arm of an endpoint while its split is unchanged; empty
 *     for none (then the arm is drawn at random)
 * @param cancelled true once the caller has gone away (cancelled the call or disconnected), so that
 *     no more work is spent on it; must be cheap and thread-safe
 */
public record ClassificationRequest(
    String model,
    VersionSelector version,
    List<ImageInput> images,
    int topK,
    boolean includeLogits,
    OptionalLong deadlineNanoTime,
    String routingKey,
    BooleanSupplier cancelled) {

  private static final BooleanSupplier NEVER = () -> false;

  public ClassificationRequest {
    images = List.copyOf(images);
    routingKey = routingKey == null ? "" : routingKey;
    cancelled = cancelled == null ? NEVER : cancelled;
  }

  /** A request that cannot be cancelled. */
  public ClassificationRequest(
      String model,
      VersionSelector version,
      List<ImageInput> images,
      int topK,
      boolean includeLogits,
      OptionalLong deadlineNanoTime,
      String routingKey) {
    this(model, version, images, topK, includeLogits, deadlineNanoTime, routingKey, NEVER);
  }

  /** A request without a routing key that cannot be cancelled. */
  public ClassificationRequest(
      String model,
      VersionSelector version,
      List<ImageInput> images,
      int topK,
      boolean includeLogits,
      OptionalLong deadlineNanoTime) {
    this(model, version, images, topK, includeLogits, deadlineNanoTime, "", NEVER);
  }

  /**
   * Throws if no more work should be spent on this call.
   *
   * @param when what would come next, for the message, e.g. {@code "before decoding image 3"}
   * @throws DeadlineExpiredException if the deadline has passed
   * @throws CancellationException if the caller has gone away
   */
  public void requireLive(String when) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("the call was cancelled " + when);
    }
    if (deadlineNanoTime.isPresent() && System.nanoTime() - deadlineNanoTime.getAsLong() > 0) {
      throw new DeadlineExpiredException("deadline passed " + when + "; not computed");
    }
  }
}
