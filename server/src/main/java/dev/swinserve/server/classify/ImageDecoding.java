package dev.swinserve.server.classify;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.server.metrics.Distribution;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.scheduling.OverloadedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes the encoded images of one request in parallel into its NHWC batch. Each image checks the
 * request's deadline and cancellation before it starts, so a call that is late or gone costs at
 * most the decodes already running; the first failure fails the whole, and the images not yet
 * started are skipped. Thread-safe: the tasks share only the result and a countdown.
 */
final class ImageDecoding {

  private final ClassificationModel model;
  private final ClassificationRequest request;
  private final float[] pixels;
  private final Distribution decodeTime;
  private final CompletableFuture<float[]> result = new CompletableFuture<>();
  private final AtomicInteger remaining;

  private ImageDecoding(
      ClassificationModel model,
      ClassificationRequest request,
      float[] pixels,
      int encoded,
      Distribution decodeTime) {
    this.model = model;
    this.request = request;
    this.pixels = pixels;
    this.decodeTime = decodeTime;
    this.remaining = new AtomicInteger(encoded);
  }

  /**
   * Queues every encoded image of {@code request} on {@code pool}, each written into {@code pixels}
   * at its place in the batch.
   *
   * @return {@code pixels} once every image is in; failed with the first image's failure (an {@link
   *     ImageDecodeException} naming the image), a deadline or cancellation, or {@link
   *     OverloadedException} if the pool's queue is full
   */
  static CompletableFuture<float[]> start(
      ClassificationModel model,
      ClassificationRequest request,
      float[] pixels,
      Executor pool,
      Distribution decodeTime) {
    List<ImageInput> images = request.images();
    int encoded = (int) images.stream().filter(ImageInput.Encoded.class::isInstance).count();
    ImageDecoding decoding = new ImageDecoding(model, request, pixels, encoded, decodeTime);
    if (encoded == 0) {
      decoding.result.complete(pixels);
    }
    for (int i = 0; i < images.size() && !decoding.result.isDone(); i++) {
      if (images.get(i) instanceof ImageInput.Encoded image) {
        int index = i;
        try {
          pool.execute(() -> decoding.decode(image.bytes(), index));
        } catch (RejectedExecutionException e) {
          decoding.result.completeExceptionally(
              new OverloadedException(
                  "the image decoding queue is full; retry later", Duration.ofMillis(50)));
        }
      }
    }
    return decoding.result;
  }

  private void decode(byte[] bytes, int index) {
    if (result.isDone()) {
      return; // an earlier image failed: this one is not worth decoding
    }
    try {
      request.requireLive("before decoding image " + index);
      long start = System.nanoTime();
      model.preprocess(bytes, pixels, index * model.inputLength());
      decodeTime.recordNanos(System.nanoTime() - start);
    } catch (ImageDecodeException e) {
      result.completeExceptionally(
          new ImageDecodeException("image " + index + ": " + e.getMessage(), e));
      return;
    } catch (RuntimeException | Error e) {
      // A server fault (out of memory, a closed model): the caller maps it to INTERNAL.
      result.completeExceptionally(e);
      return;
    }
    if (remaining.decrementAndGet() == 0) {
      result.complete(pixels);
    }
  }
}
