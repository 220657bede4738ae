package dev.swinserve.server.runtime.tensorflow;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A small PNG made in memory, fed through a model's preprocessing at warm-up so that the first real
 * image does not pay for TensorFlow's one-time setup of the decode and resize kernels.
 */
final class WarmUpImage {

  private static final int SIDE = 32;

  private static final byte[] PNG = encode();

  private WarmUpImage() {}

  /** The encoded image; callers must not modify the array. */
  static byte[] png() {
    return PNG;
  }

  private static byte[] encode() {
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        // A gradient rather than a flat colour so that the resize filter does real work.
        image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | (x + y) * 4);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("this JVM has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the warm-up image", e);
    }
    return bytes.toByteArray();
  }
}
