package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.testing.Fixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encoded test images: fixtures, and images made with {@code javax.imageio} in other formats. */
final class TestImages {

  private TestImages() {}

  static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(Fixtures.image(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture decoded by ImageIO into 8-bit RGB (alpha, if any, dropped). */
  static BufferedImage fixtureRgb(String name) {
    return rgb(decode(fixture(name)));
  }

  static BufferedImage decode(byte[] encoded) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      assertThat(image).as("ImageIO decodes the test image").isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage rgb(BufferedImage source) {
    BufferedImage rgb =
        new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D graphics = rgb.createGraphics();
    graphics.drawImage(source, 0, 0, null);
    graphics.dispose();
    return rgb;
  }

  static BufferedImage solid(int width, int height, Color color) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(color);
    graphics.fillRect(0, 0, width, height);
    graphics.dispose();
    return image;
  }

  /** Encodes with ImageIO's writer for {@code format} ("png", "gif", "bmp", "jpeg"). */
  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertThat(ImageIO.write(image, format, out)).as("ImageIO writes %s", format).isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An animated GIF of {@code frames}, in order. */
  static byte[] animatedGif(BufferedImage... frames) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
