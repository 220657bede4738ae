package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.tensor.FloatTensor;

/**
 * How far two normalised images are apart in 8-bit levels: each difference is multiplied back by
 * {@code std / rescaleFactor} of its channel (255·std for the fixtures).
 */
record PixelDifference(double meanLevels, double maxLevels) {

  /** {@code expected} is NCHW {@code [1, 3, h, w]} (Hugging Face), {@code actual} HWC. */
  static PixelDifference ofNchwReference(
      FloatTensor expected, FloatTensor actual, PreprocessingSettings settings) {
    int height = (int) actual.shape()[0];
    int width = (int) actual.shape()[1];
    assertThat(expected.shape()).containsExactly(1, 3, height, width);
    float[] transposed = new float[height * width * 3];
    for (int channel = 0; channel < 3; channel++) {
      for (int pixel = 0; pixel < height * width; pixel++) {
        transposed[pixel * 3 + channel] = expected.data()[channel * height * width + pixel];
      }
    }
    return between(transposed, actual.data(), settings);
  }

  /** Both HWC, same length. */
  static PixelDifference between(float[] expected, float[] actual, PreprocessingSettings settings) {
    assertThat(actual).hasSameSizeAs(expected);
    float[] std = settings.std();
    double sum = 0;
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      double levels = Math.abs(expected[i] - actual[i]) * std[i % 3] / settings.rescaleFactor();
      sum += levels;
      max = Math.max(max, levels);
    }
    return new PixelDifference(sum / expected.length, max);
  }

  @Override
  public String toString() {
    return String.format("mean %.4f, max %.1f levels", meanLevels, maxLevels);
  }
}
