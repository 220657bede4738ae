package dev.swinserve.server.classify;

import dev.swinserve.registry.VersionSelector;
import java.util.List;
import java.util.OptionalLong;

/**
 * A classification call in the server's own terms, free of protobuf.
 *
 * @param topK classes to return per image, at least 1
 * @param deadlineNanoTime {@link System#nanoTime()} after which the call must not be computed
 */
public record ClassificationRequest(
    String model,
    VersionSelector version,
    List<ImageInput> images,
    int topK,
    boolean includeLogits,
    OptionalLong deadlineNanoTime) {

  public ClassificationRequest {
    images = List.copyOf(images);
  }
}
