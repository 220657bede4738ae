package dev.swinserve.bench.load;

import java.util.Random;

/**
 * The pixel tensor a {@link InputKind#PIXELS} run sends, made from its seed alone, so that another
 * load tool can be given the very same values.
 */
public final class PixelValues {

  private PixelValues() {}

  /**
   * A {@code [size, size, 3]} tensor in row-major (height, width, channel) order of standard normal
   * values, what normalised pixels look like; the same seed and size give the same values.
   */
  public static float[] standardNormal(long seed, int size) {
    Random random = new Random(seed);
    float[] values = new float[3 * size * size];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
