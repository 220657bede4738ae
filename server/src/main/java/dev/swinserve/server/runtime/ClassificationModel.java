package dev.swinserve.server.runtime;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.Servable;
import java.util.List;
import java.util.Optional;

/**
 * A loaded image classifier version: its labels and input size, image preprocessing, and the model
 * itself. Free of TensorFlow types so that the gRPC layer and batching never see them.
 *
 * <p>Thread-safe: any number of threads may call {@link #preprocess} and {@link #logits}
 * concurrently between load and {@link #close()}. Calls after close throw {@link
 * IllegalStateException}. The registry owns the instance and closes it.
 */
public interface ClassificationModel extends Servable {

  ModelVersionId id();

  /** Class names in logit index order, from {@code assets/labels.txt}; immutable. */
  List<String> labels();

  /** The model's input height in pixels. */
  int height();

  /** The model's input width in pixels. */
  int width();

  /** The number of floats one preprocessed image takes: height × width × 3. */
  default int inputLength() {
    return height() * width() * 3;
  }

  /** How this version runs: the server's runtime settings overridden by its {@code model.yaml}. */
  RuntimeConfig runtime();

  /** What {@code assets/model.json} says about the model (architecture, source, demo weights). */
  ModelMetadata metadata();

  /**
   * Decodes one encoded image (JPEG, PNG, GIF or BMP) and writes the model input it makes, NHWC and
   * normalised, into {@code destination[offset .. offset + inputLength())}; on failure the
   * destination is left unchanged.
   *
   * @throws ImageDecodeException if the image is empty, unsupported, too large or corrupt
   * @throws IndexOutOfBoundsException if the input does not fit into {@code destination} at {@code
   *     offset}
   */
  void preprocess(byte[] encoded, float[] destination, int offset);

  /**
   * What {@link #preprocess} does, if the model can say: models with equal settings make the same
   * input from the same image, so one decode serves them all (a shadow reuses its primary's).
   * Empty, the default, means this model's input is made for it alone.
   */
  default Optional<PreprocessingSettings> preprocessing() {
    return Optional.empty();
  }

  /**
   * Runs the model on {@code batchSize} preprocessed images laid out NHWC in {@code pixels[0 ..
   * batchSize × inputLength())}; floats past that are ignored, so a larger reusable buffer may be
   * passed. The array is read, never kept or written.
   *
   * @return a new array {@code [batchSize][labels().size()]} of unnormalised scores (logits)
   * @throws IllegalArgumentException if {@code batchSize} is not positive or {@code pixels} holds
   *     fewer than {@code batchSize × inputLength()} floats
   */
  float[][] logits(float[] pixels, int batchSize);

  /**
   * {@link #logits(float[], int)} at {@code priority}. A model that cannot run work at a lower
   * priority runs every call alike, which is what this default does.
   */
  default float[][] logits(float[] pixels, int batchSize, RunPriority priority) {
    return logits(pixels, batchSize);
  }
}
