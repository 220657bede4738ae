package dev.swinserve.format.testing;

import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import java.util.Map;

/**
 * The reference implementation's inputs and outputs for a fixture checkpoint ({@code
 * io.safetensors}), in the layout the exported SavedModels take, and the error measure the parity
 * bar is stated in.
 */
public final class ReferenceOutputs {

  private ReferenceOutputs() {}

  /** The fixture's {@code pixel_values}, converted from NCHW to the SavedModel's NHWC. */
  public static FloatTensor pixels(String checkpoint) {
    return toNhwc(io(checkpoint).get("pixel_values"));
  }

  /** The reference logits: {@code logits_float64} where the fixture has it, else {@code logits}. */
  public static FloatTensor logits(String checkpoint) {
    Map<String, FloatTensor> io = io(checkpoint);
    return io.getOrDefault("logits_float64", io.get("logits"));
  }

  private static Map<String, FloatTensor> io(String checkpoint) {
    return SafetensorsFile.readAll(Fixtures.checkpoint(checkpoint).resolve("io.safetensors"));
  }

  /** {@code [n, c, h, w]} to {@code [n, h, w, c]}. */
  public static FloatTensor toNhwc(FloatTensor nchw) {
    long[] shape = nchw.shape();
    int batch = (int) shape[0];
    int channels = (int) shape[1];
    int height = (int) shape[2];
    int width = (int) shape[3];
    float[] source = nchw.data();
    float[] result = new float[source.length];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            result[((n * height + y) * width + x) * channels + c] =
                source[((n * channels + c) * height + y) * width + x];
          }
        }
      }
    }
    return new FloatTensor(new long[] {batch, height, width, channels}, result);
  }

  /** ‖actual − expected‖ / ‖expected‖ in double precision. */
  public static double relativeError(float[] actual, float[] expected) {
    if (actual.length != expected.length) {
      throw new IllegalArgumentException(
          "lengths differ: " + actual.length + " vs " + expected.length);
    }
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (double) actual[i] - expected[i];
      difference += d * d;
      norm += (double) expected[i] * expected[i];
    }
    return Math.sqrt(difference / norm);
  }
}
