package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gives an {@link ImageDecodeException} that says what is wrong, never a crash. */
class ImageDecodeErrorsTest {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private static ImagePreprocessor preprocessor;

  @BeforeAll
  static void setUp() {
    preprocessor = new ImagePreprocessor(TestSettings.imagenet(64));
  }

  @AfterAll
  static void tearDown() {
    preprocessor.close();
  }

  @Test
  void refusesEmptyInput() {
    assertThatThrownBy(() -> preprocessor.preprocess(new byte[0]))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage("image is empty");
    assertThatThrownBy(() -> preprocessor.preprocess(null))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage("image is empty");
  }

  @Test
  void refusesUnknownFormatNamingTheSupportedOnesAndTheFirstBytes() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> preprocessor.preprocess(webp))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("52 49 46 46 00 00 00 00")
        .hasMessageContaining("JPEG, PNG, GIF and BMP");
  }

  @Test
  void refusesOversizedHeaderBeforeDecoding() {
    // Only a header: had it been handed to the decoder, the error would be about missing data.
    byte[] huge = pngHeader(100_000, 100_000);

    assertThatThrownBy(() -> preprocessor.preprocess(huge))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("100000x100000")
        .hasMessageContaining("limit of 40000000 pixels");
  }

  @Test
  void refusesRealImageOverALowerLimit() {
    try (ImagePreprocessor strict = new ImagePreprocessor(TestSettings.imagenet(64), 100_000)) {
      assertThatThrownBy(() -> strict.preprocess(TestImages.fixture("rocket.jpg")))
          .isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("JPEG image of 640x427 pixels exceeds the limit of 100000 pixels");
    }
  }

  @Test
  void refusesHeaderAnnouncingNoPixels() {
    assertThatThrownBy(() -> preprocessor.preprocess(pngHeader(0, 100)))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("empty image of 0x100");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rocket.jpg", "chelsea-progressive.jpg", "chelsea.png", "green-palette.png"})
  void refusesTruncatedImage(String name) {
    byte[] whole = TestImages.fixture(name);

    assertThatThrownBy(() -> preprocessor.preprocess(Arrays.copyOf(whole, whole.length / 2)))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(name.endsWith(".png") ? "PNG" : "JPEG");
  }

  @ParameterizedTest
  @ValueSource(strings = {"FFD8FF", "89504E470D0A1A0A", "474946383961", "424D"})
  void refusesRandomBytesBehindAValidMagic(String magicHex) {
    byte[] magic = java.util.HexFormat.of().parseHex(magicHex);
    Random random = new Random(magicHex.hashCode());
    for (int attempt = 0; attempt < 20; attempt++) {
      byte[] bytes = new byte[64 + random.nextInt(4096)];
      random.nextBytes(bytes);
      System.arraycopy(magic, 0, bytes, 0, magic.length);

      assertThatThrownBy(() -> preprocessor.preprocess(bytes))
          .isInstanceOf(ImageDecodeException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocket.jpg", "chelsea-progressive.jpg", "chelsea.png", "logo-rgba.png"})
  void damagedImageEitherDecodesOrGivesImageDecodeException(String name) {
    byte[] whole = TestImages.fixture(name);
    Random random = new Random(name.hashCode());
    for (int attempt = 0; attempt < 20; attempt++) {
      byte[] damaged = whole.clone();
      for (int flip = 0; flip < 1 + random.nextInt(16); flip++) {
        damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
      }

      Throwable thrown = catchThrowable(() -> preprocessor.preprocess(damaged));

      if (thrown != null) {
        assertThat(thrown).isInstanceOf(ImageDecodeException.class);
      }
    }
  }

  @Test
  void refusesCallsAfterClose() {
    ImagePreprocessor closed = new ImagePreprocessor(TestSettings.imagenet(64));
    closed.close();

    assertThatThrownBy(() -> closed.preprocess(TestImages.fixture("chelsea.png")))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * A PNG signature and a well-formed IHDR chunk (8-bit RGB) announcing the given size, no data.
   */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer chunk =
        ByteBuffer.allocate(17)
            .put("IHDR".getBytes(StandardCharsets.US_ASCII))
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(chunk.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4)
        .put(PNG_SIGNATURE)
        .putInt(13)
        .put(chunk.array())
        .putInt((int) crc.getValue())
        .array();
  }
}
