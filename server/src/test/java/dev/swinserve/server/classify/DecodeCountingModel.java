package dev.swinserve.server.classify;

import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.testing.ScriptedModel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A two-class model of the input size its preprocessing settings name, which counts the images it
 * decodes and remembers the inputs it ran on. Its "decoding" fills the image's place in the batch
 * with {@link #expectedValue one value} made from the image and the settings, so a model given
 * another model's input sees it.
 */
final class DecodeCountingModel extends ScriptedModel {

  private final PreprocessingSettings settings;
  private final AtomicInteger decodes = new AtomicInteger();
  private final List<String> inputs = new CopyOnWriteArrayList<>();

  DecodeCountingModel(String name, PreprocessingSettings settings) {
    super(new ModelVersionId(name, 1), (pixels, batch) -> new float[batch][2]);
    this.settings = settings;
  }

  /**
   * Settings for a {@code side}×{@code side} input, normalised with {@code mean} on every channel.
   */
  static PreprocessingSettings settings(int side, float mean) {
    return new PreprocessingSettings(
        side,
        side,
        PreprocessingSettings.BICUBIC,
        true,
        PreprocessingSettings.DEFAULT_RESCALE_FACTOR,
        true,
        new float[] {mean, mean, mean},
        new float[] {1, 1, 1});
  }

  /**
   * The value this model's decoding writes for {@code image}: it differs by image, size and mean.
   */
  float expectedValue(byte[] image) {
    return image.length + 1000f * settings.height() + settings.mean()[0];
  }

  /** The input this model should see for {@code image}, as {@link #inputs()} lists it. */
  String expectedInput(byte[] image) {
    return expectedValue(image) + " .. " + expectedValue(image);
  }

  int decodes() {
    return decodes.get();
  }

  /** Per image run, in order: the first and last value of its input. */
  List<String> inputs() {
    return inputs;
  }

  @Override
  public int height() {
    return settings.height();
  }

  @Override
  public int width() {
    return settings.width();
  }

  @Override
  public Optional<PreprocessingSettings> preprocessing() {
    return Optional.of(settings);
  }

  @Override
  public void preprocess(byte[] encoded, float[] destination, int offset) {
    decodes.incrementAndGet();
    Arrays.fill(destination, offset, offset + inputLength(), expectedValue(encoded));
  }

  @Override
  public float[][] logits(float[] pixels, int batchSize) {
    for (int i = 0; i < batchSize; i++) {
      inputs.add(pixels[i * inputLength()] + " .. " + pixels[(i + 1) * inputLength() - 1]);
    }
    return super.logits(pixels, batchSize);
  }
}
