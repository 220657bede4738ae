package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.tensor.FloatTensor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GIF and BMP, made from a fixture PNG with ImageIO, against the PNG's result. */
class ImageFormatsTest {

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
  void bmpMatchesThePngItWasMadeFrom() {
    BufferedImage chelsea = TestImages.fixtureRgb("chelsea.png");

    PixelDifference difference =
        compare(TestImages.encode(chelsea, "png"), TestImages.encode(chelsea, "bmp"));

    // 24-bit BMP is lossless: the same pixels must give the same result.
    assertThat(difference.maxLevels()).as("%s", difference).isZero();
  }

  @Test
  void greyBmpBecomesRgb() {
    BufferedImage grey = new BufferedImage(451, 300, BufferedImage.TYPE_BYTE_GRAY);
    new ColorConvertOp(null).filter(TestImages.fixtureRgb("chelsea.png"), grey);

    PixelDifference difference =
        compare(TestImages.encode(grey, "png"), TestImages.encode(grey, "bmp"));

    assertThat(difference.maxLevels()).as("%s", difference).isZero();
  }

  @Test
  void gifDecodesToItsOwnPixelsExactly() {
    byte[] gif = TestImages.encode(TestImages.fixtureRgb("chelsea.png"), "gif");
    // The GIF's palette-quantised pixels, re-encoded losslessly: the reference for the decoder.
    byte[] samePixelsAsPng = TestImages.encode(TestImages.rgb(TestImages.decode(gif)), "png");

    PixelDifference difference = compare(samePixelsAsPng, gif);

    assertThat(difference.maxLevels()).as("%s", difference).isZero();
  }

  @Test
  void gifIsCloseToThePngItWasMadeFrom() {
    BufferedImage chelsea = TestImages.fixtureRgb("chelsea.png");

    PixelDifference difference =
        compare(TestImages.encode(chelsea, "png"), TestImages.encode(chelsea, "gif"));

    // GIF holds at most 256 colours, so ImageIO quantises the photo (measured: mean 1.3, max 8
    // levels, against the 0.5/8 bar for lossless input). The looser bar still catches a wrong
    // channel order or frame, which cost tens of levels.
    System.out.println("gif vs png: " + difference);
    assertThat(difference.meanLevels()).as("%s", difference).isLessThanOrEqualTo(3);
    assertThat(difference.maxLevels()).as("%s", difference).isLessThanOrEqualTo(24);
  }

  @Test
  void animatedGifYieldsItsFirstFrame() {
    byte[] gif =
        TestImages.animatedGif(
            TestImages.solid(40, 30, Color.RED), TestImages.solid(40, 30, Color.BLUE));

    FloatTensor result = preprocessor.preprocess(gif);

    FloatTensor red =
        preprocessor.preprocess(TestImages.encode(TestImages.solid(40, 30, Color.RED), "png"));
    assertThat(result).isEqualTo(red);
  }

  private static PixelDifference compare(byte[] expected, byte[] actual) {
    return PixelDifference.between(
        preprocessor.preprocess(expected).data(),
        preprocessor.preprocess(actual).data(),
        preprocessor.settings());
  }
}
