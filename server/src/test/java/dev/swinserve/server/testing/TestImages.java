package dev.swinserve.server.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Encoded images made in tests. */
public final class TestImages {

  private TestImages() {}

  /** A black PNG of {@code width} × {@code height} pixels: a few hundred bytes. */
  public static byte[] png(int width, int height) throws IOException {
    return encoded(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB));
  }

  /**
   * A square PNG of one colour: a few kilobytes even when large, yet as many pixels to decode and
   * resize as its side says.
   */
  public static byte[] flatPng(int side) throws IOException {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(new Color(120, 90, 200));
    graphics.fillRect(0, 0, side, side);
    graphics.dispose();
    return encoded(image);
  }

  private static byte[] encoded(BufferedImage image) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }
}
