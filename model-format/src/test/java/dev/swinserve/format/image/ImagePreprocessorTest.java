package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.tensor.FloatTensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  private static final float[] NO_MEAN = {0, 0, 0};
  private static final float[] NO_STD = {1, 1, 1};

  @Test
  void rescalesAndNormalisesEachChannel() {
    byte[] solid = TestImages.encode(TestImages.solid(37, 23, new Color(200, 100, 50)), "png");

    try (ImagePreprocessor preprocessor = new ImagePreprocessor(TestSettings.imagenet(16))) {
      FloatTensor result = preprocessor.preprocess(solid);

      float[] expected = {
        (200 / 255f - 0.485f) / 0.229f,
        (100 / 255f - 0.456f) / 0.224f,
        (50 / 255f - 0.406f) / 0.225f
      };
      for (int i = 0; i < result.data().length; i++) {
        assertThat(result.data()[i]).as("element %d", i).isCloseTo(expected[i % 3], within(1e-5f));
      }
    }
  }

  @Test
  void withoutRescaleOrNormaliseGivesEightBitValues() {
    PreprocessingSettings raw =
        new PreprocessingSettings(
            16, 16, PreprocessingSettings.BICUBIC, false, 0.5, false, NO_MEAN, NO_STD);
    byte[] solid = TestImages.encode(TestImages.solid(37, 23, new Color(200, 100, 50)), "png");

    try (ImagePreprocessor preprocessor = new ImagePreprocessor(raw)) {
      float[] data = preprocessor.preprocess(solid).data();

      assertThat(Arrays.copyOf(data, 3)).containsExactly(200f, 100f, 50f);
    }
  }

  @Test
  void resultIsHeightWidthChannelsWithRowsTopToBottom() {
    // Top half red, bottom half blue, at a size that is neither square nor the input's aspect.
    BufferedImage image = TestImages.solid(60, 40, Color.RED);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.BLUE);
    graphics.fillRect(0, 20, 60, 20);
    graphics.dispose();
    PreprocessingSettings settings =
        new PreprocessingSettings(
            24, 40, PreprocessingSettings.BICUBIC, false, 1, false, NO_MEAN, NO_STD);

    try (ImagePreprocessor preprocessor = new ImagePreprocessor(settings)) {
      FloatTensor result = preprocessor.preprocess(TestImages.encode(image, "png"));

      assertThat(result.shape()).containsExactly(24, 40, 3);
      int lastRow = (23 * 40 + 39) * 3;
      assertThat(Arrays.copyOfRange(result.data(), 0, 3)).containsExactly(255f, 0f, 0f);
      assertThat(Arrays.copyOfRange(result.data(), lastRow, lastRow + 3))
          .containsExactly(0f, 0f, 255f);
    }
  }

  @Test
  void bilinearResamplingIsSupportedAndDiffersFromBicubic() {
    byte[] chelsea = TestImages.fixture("chelsea.png");
    PreprocessingSettings bicubic = TestSettings.imagenet(64);
    PreprocessingSettings bilinear =
        new PreprocessingSettings(
            64,
            64,
            PreprocessingSettings.BILINEAR,
            true,
            bicubic.rescaleFactor(),
            true,
            bicubic.mean(),
            bicubic.std());

    try (ImagePreprocessor cubic = new ImagePreprocessor(bicubic);
        ImagePreprocessor linear = new ImagePreprocessor(bilinear)) {
      PixelDifference difference =
          PixelDifference.between(
              cubic.preprocess(chelsea).data(), linear.preprocess(chelsea).data(), bicubic);

      // Same image, softer filter: close on average, but not identical.
      assertThat(difference.meanLevels()).isBetween(0.01, 3.0);
    }
  }

  @Test
  void writesIntoACallersArrayAtAnOffset() {
    byte[] chelsea = TestImages.fixture("chelsea.png");
    try (ImagePreprocessor preprocessor = new ImagePreprocessor(TestSettings.imagenet(16))) {
      int length = preprocessor.outputLength();
      float[] batch = new float[2 * length + 1];
      Arrays.fill(batch, -99f);

      preprocessor.preprocessInto(chelsea, batch, length);

      assertThat(length).isEqualTo(16 * 16 * 3);
      assertThat(Arrays.copyOfRange(batch, 0, length)).containsOnly(-99f);
      assertThat(Arrays.copyOfRange(batch, length, 2 * length))
          .containsExactly(preprocessor.preprocess(chelsea).data());
      assertThat(batch[2 * length]).isEqualTo(-99f);
      assertThatThrownBy(() -> preprocessor.preprocessInto(chelsea, batch, length + 2))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void concurrentCallsGiveTheSameResultsAsSequentialOnes() throws Exception {
    List<String> names =
        List.of(
            "chelsea.png",
            "rocket.jpg",
            "logo-rgba.png",
            "coffee.png",
            "chelsea-progressive.jpg",
            "green-palette.png");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (ImagePreprocessor preprocessor = new ImagePreprocessor(TestSettings.imagenet(64))) {
      List<FloatTensor> sequential = new ArrayList<>();
      for (String name : names) {
        sequential.add(preprocessor.preprocess(TestImages.fixture(name)));
      }
      List<Future<FloatTensor>> concurrent = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (String name : names) {
          byte[] encoded = TestImages.fixture(name);
          concurrent.add(pool.submit(() -> preprocessor.preprocess(encoded)));
        }
      }

      for (int i = 0; i < concurrent.size(); i++) {
        assertThat(concurrent.get(i).get())
            .as(names.get(i % names.size()))
            .isEqualTo(sequential.get(i % names.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
