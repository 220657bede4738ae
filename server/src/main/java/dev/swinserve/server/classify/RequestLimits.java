package dev.swinserve.server.classify;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.format.image.ImageHeader;
import dev.swinserve.server.config.LimitsConfig;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.scheduling.BatchedModel;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.util.List;

/**
 * The limits one request must keep ({@link LimitsConfig}), checked before any image is decoded. A
 * request over a limit can never succeed however often it is retried, so it is refused as invalid
 * input naming the limit, never as overload.
 */
final class RequestLimits {

  private RequestLimits() {}

  /**
   * @throws InvalidInputException if the request holds no images or more than the limit, or its
   *     encoded images announce more pixels in all than the budget
   * @throws ImageDecodeException naming the image whose header is empty, unsupported or corrupt
   */
  static void check(List<ImageInput> images, LimitsConfig limits) {
    if (images.isEmpty()) {
      throw new InvalidInputException("the request holds no images");
    }
    if (images.size() > limits.maxImagesPerRequest()) {
      throw new InvalidInputException(
          "the request holds "
              + images.size()
              + " images; the limit is "
              + limits.maxImagesPerRequest()
              + " per request (limits.max_images_per_request): split it into "
              + "several requests");
    }
    long total = 0;
    int encoded = 0;
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i) instanceof ImageInput.Encoded image) {
        long pixels = announcedPixels(image.bytes(), i);
        total =
            pixels > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + pixels; // never wraps round
        encoded++;
      }
    }
    if (total > limits.maxRequestPixels()) {
      throw new InvalidInputException(
          String.format(
              java.util.Locale.ROOT,
              "the request's %d encoded images announce %d pixels (%.1f megapixels) in all; the limit is %d "
                  + "megapixels per request (limits.max_request_megapixels): send fewer or smaller images",
              encoded,
              total,
              total / 1e6,
              limits.maxRequestMegapixels()));
    }
  }

  /**
   * @throws InvalidInputException if {@code images} images would split into more batches than
   *     {@code model}'s queue holds, so that the request could never be queued whole however idle
   *     the model is
   */
  static void checkFits(ClassificationModel model, int images) {
    BatchingConfig batching = BatchedModel.of(model);
    int maxBatch = Math.max(1, batching.maxBatchSize());
    int batches = (images + maxBatch - 1) / maxBatch;
    if (batches > batching.maxQueueSize()) {
      throw new InvalidInputException(
          "the request's "
              + images
              + " images make "
              + batches
              + " batches of at most "
              + maxBatch
              + " (batching.max_batch_size of model "
              + model.id()
              + "), more than its queue holds "
              + "(batching.max_queue_size "
              + batching.maxQueueSize()
              + "): send at most "
              + (long) maxBatch * batching.maxQueueSize()
              + " images per request to this model");
    }
  }

  private static long announcedPixels(byte[] bytes, int index) {
    if (bytes.length == 0) {
      throw new InvalidInputException("image " + index + " is empty");
    }
    try {
      return ImageHeader.pixels(bytes);
    } catch (ImageDecodeException e) {
      throw new ImageDecodeException("image " + index + ": " + e.getMessage(), e);
    }
  }
}
