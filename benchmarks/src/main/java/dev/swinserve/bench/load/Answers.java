package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ClassifyResponse;
import io.grpc.Status;

/** Judges a response the same way for unary calls and streams. */
final class Answers {

  private Answers() {}

  /**
   * OK when {@code response} classifies each of the request's {@code images}; the stream error it
   * carries otherwise, or INTERNAL for a response that answers the wrong number of images (a server
   * that skips work must not look fast).
   */
  static Status status(ClassifyResponse response, int images) {
    if (response.hasError()) {
      return Status.fromCodeValue(response.getError().getCode())
          .withDescription(response.getError().getMessage());
    }
    if (response.getClassificationsCount() != images) {
      return Status.INTERNAL.withDescription(
          "server returned "
              + response.getClassificationsCount()
              + " classifications for "
              + images
              + " images");
    }
    return Status.OK;
  }
}
