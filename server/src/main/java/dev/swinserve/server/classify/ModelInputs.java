package dev.swinserve.server.classify;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.server.metrics.Distribution;
import dev.swinserve.server.runtime.ClassificationModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The images of one request as model input, made once per distinct preprocessing and shared by the
 * primary and its shadow copies: a shadow whose model preprocesses like the primary's (equal {@link
 * ClassificationModel#preprocessing() settings}, input size included) runs on the primary's batch,
 * and shadows that share another preprocessing decode the images once between them. A model that
 * cannot say how it preprocesses gets a batch of its own.
 *
 * <p>Thread-safe. A batch, once made, is never written again: the scheduler and the model only read
 * their input ({@link ClassificationModel#logits}).
 */
final class ModelInputs {

  /** Two models with equal keys make the same batch from the same images. */
  private record Key(int height, int width, Object preprocessing) {

    static Key of(ClassificationModel model) {
      return new Key(
          model.height(),
          model.width(),
          model.preprocessing().<Object>map(settings -> settings).orElse(model));
    }
  }

  private final ClassificationRequest request;
  private final Map<Key, float[]> batches = new ConcurrentHashMap<>();

  ModelInputs(ClassificationRequest request) {
    this.request = request;
  }

  /** The number of images: the batch's size. */
  int images() {
    return request.images().size();
  }

  /**
   * The primary's batch for {@code model}: pixel tensors copied now, encoded images decoded in
   * parallel on {@code pool}, each only while the call is still wanted ({@link ImageDecoding},
   * which records {@code decodeTime}); kept for the shadows once complete.
   *
   * @throws InvalidInputException if a pixel tensor does not fit the model
   */
  CompletableFuture<float[]> decode(
      ClassificationModel model, Executor pool, Distribution decodeTime) {
    float[] pixels = PixelTensors.newBatch(model, request.images());
    return ImageDecoding.start(model, request, pixels, pool, decodeTime)
        .thenApply(
            batch -> {
              batches.putIfAbsent(Key.of(model), batch);
              return batch;
            });
  }

  /**
   * A shadow's batch for {@code model}, on the calling thread: the batch already made for a model
   * that preprocesses alike, else one made now, without the client's deadline or cancellation (the
   * shadow runs after the call has been answered).
   *
   * @throws InvalidInputException if a pixel tensor does not fit the model
   * @throws ImageDecodeException if an image cannot be decoded
   */
  float[] decodeHere(ClassificationModel model) {
    return batches.computeIfAbsent(
        Key.of(model),
        key -> {
          List<ImageInput> images = request.images();
          float[] pixels = PixelTensors.newBatch(model, images);
          for (int i = 0; i < images.size(); i++) {
            if (images.get(i) instanceof ImageInput.Encoded encoded) {
              model.preprocess(encoded.bytes(), pixels, i * model.inputLength());
            }
          }
          return pixels;
        });
  }
}
