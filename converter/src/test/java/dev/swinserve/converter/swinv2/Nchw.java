package dev.swinserve.converter.swinv2;

import dev.swinserve.format.tensor.FloatTensor;

/** Test helper: the fixtures store images NCHW; the SavedModel takes NHWC. */
final class Nchw {

  private Nchw() {}

  static FloatTensor toNhwc(FloatTensor nchw) {
    return GraphParameters.permute(nchw, 0, 2, 3, 1);
  }

  /** ‖actual − expected‖ / ‖expected‖ in double precision. */
  static double relativeError(float[] actual, float[] expected) {
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
