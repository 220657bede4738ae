package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import org.junit.jupiter.api.Test;

class ImageHeaderTest {

  @Test
  void announcesWidthTimesHeightWithoutDecoding() {
    assertThat(ImageHeader.pixels(TestImages.encode(TestImages.solid(123, 45, Color.GRAY), "png")))
        .isEqualTo(123L * 45);
    assertThat(ImageHeader.pixels(TestImages.encode(TestImages.solid(30, 20, Color.GRAY), "jpg")))
        .isEqualTo(600);
  }

  @Test
  void theLargestPngHeaderDoesNotWrapRound() {
    byte[] png = TestImages.encode(TestImages.solid(4, 4, Color.GRAY), "png");
    for (int i = 16; i < 24; i++) {
      png[i] = (byte) 0xFF; // IHDR width and height: 2^32 - 1 each
    }

    assertThat(ImageHeader.pixels(png)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void refusesWhatIsNoImage() {
    assertThatThrownBy(() -> ImageHeader.pixels(new byte[0]))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> ImageHeader.pixels(new byte[] {1, 2, 3}))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("unsupported");
  }
}
