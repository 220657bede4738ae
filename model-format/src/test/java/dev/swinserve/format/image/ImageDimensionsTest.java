package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDimensionsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "astronaut.png",
        "camera-grayscale.png",
        "chelsea-progressive.jpg",
        "chelsea.png",
        "coffee.png",
        "green-palette.png",
        "hubble_deep_field.jpg",
        "logo-rgba.png",
        "rocket.jpg"
      })
  void readsFixtureSizesAsImageIoDoes(String name) {
    byte[] encoded = TestImages.fixture(name);
    BufferedImage decoded = TestImages.decode(encoded);

    ImageDimensions dimensions = ImageDimensions.read(ImageFormat.sniff(encoded), encoded);

    assertThat(dimensions.width()).isEqualTo(decoded.getWidth());
    assertThat(dimensions.height()).isEqualTo(decoded.getHeight());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gif", "bmp"})
  void readsGifAndBmpSizes(String format) {
    byte[] encoded = TestImages.encode(TestImages.solid(123, 45, java.awt.Color.GRAY), format);

    ImageDimensions dimensions = ImageDimensions.read(ImageFormat.sniff(encoded), encoded);

    assertThat(dimensions)
        .isEqualTo(new ImageDimensions(ImageFormat.valueOf(format.toUpperCase()), 123, 45));
  }

  @Test
  void readsTopDownBmpHeight() {
    byte[] bmp = TestImages.encode(TestImages.solid(7, 5, java.awt.Color.GRAY), "bmp");
    ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(22, -5);

    assertThat(ImageDimensions.read(ImageFormat.BMP, bmp).height()).isEqualTo(5);
  }

  @Test
  void skipsStrayBytesBeforeAJpegMarkerLikeLibjpeg() {
    byte[] jpeg = TestImages.fixture("rocket.jpg");
    byte[] padded = new byte[jpeg.length + 3];
    // SOI, three stray bytes, then the rest of the file.
    System.arraycopy(jpeg, 0, padded, 0, 2);
    System.arraycopy(jpeg, 2, padded, 5, jpeg.length - 2);

    assertThat(ImageDimensions.read(ImageFormat.JPEG, padded))
        .isEqualTo(new ImageDimensions(ImageFormat.JPEG, 640, 427));
  }

  @Test
  void refusesJpegWithoutFrameHeader() {
    byte[] jpeg = TestImages.fixture("rocket.jpg");

    assertThatThrownBy(() -> ImageDimensions.read(ImageFormat.JPEG, Arrays.copyOf(jpeg, 100)))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("JPEG");
  }
}
