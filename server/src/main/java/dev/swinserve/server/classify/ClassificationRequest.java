package dev.swinserve.server.classify;

import dev.swinserve.registry.VersionSelector;
import java.util.List;
import java.util.OptionalLong;

/**
 * A classification call in the server's own terms, free of protobuf.
 *
 * @param topK classes to return per image, at least 1
 * @param deadlineNanoTime {@link System#nanoTime()} after which the call must not be computed
 * @param routingKey keeps a caller on one arm of an endpoint while its split is unchanged; empty
 *     for none (then the arm is drawn at random)
 */
public record ClassificationRequest(
    String model,
    VersionSelector version,
    List<ImageInput> images,
    int topK,
    boolean includeLogits,
    OptionalLong deadlineNanoTime,
    String routingKey) {

  public ClassificationRequest {
    images = List.copyOf(images);
    routingKey = routingKey == null ? "" : routingKey;
  }

  /** A request without a routing key. */
  public ClassificationRequest(String model, VersionSelector version, List<ImageInput> images, int topK,
      boolean includeLogits, OptionalLong deadlineNanoTime) {
    this(model, version, images, topK, includeLogits, deadlineNanoTime, "");
  }
}
