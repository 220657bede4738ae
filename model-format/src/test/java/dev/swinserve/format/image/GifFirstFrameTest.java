package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class GifFirstFrameTest {

  @Test
  void cutsAnAnimationAfterItsFirstFrame() throws IOException {
    byte[] animation =
        TestImages.animatedGif(
            TestImages.solid(8, 8, Color.RED),
            TestImages.solid(8, 8, Color.GREEN),
            TestImages.solid(8, 8, Color.BLUE));

    byte[] firstFrame = GifFirstFrame.of(animation);

    assertThat(frameCount(animation)).isEqualTo(3);
    assertThat(frameCount(firstFrame)).isEqualTo(1);
    assertThat(firstFrame[firstFrame.length - 1]).as("trailer").isEqualTo((byte) 0x3B);
    assertThat(TestImages.decode(firstFrame).getRGB(4, 4)).isEqualTo(Color.RED.getRGB());
  }

  @Test
  void keepsASingleFrameGifAsItIs() {
    byte[] gif = TestImages.encode(TestImages.solid(8, 8, Color.RED), "gif");

    assertThat(GifFirstFrame.of(gif)).isSameAs(gif);
  }

  @Test
  void refusesTruncatedBlocks() {
    byte[] gif = TestImages.encode(TestImages.solid(8, 8, Color.RED), "gif");

    assertThatThrownBy(() -> GifFirstFrame.of(Arrays.copyOf(gif, gif.length - 4)))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("truncated GIF");
  }

  private static int frameCount(byte[] gif) throws IOException {
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      reader.setInput(stream);
      return reader.getNumImages(true);
    } finally {
      reader.dispose();
    }
  }
}
