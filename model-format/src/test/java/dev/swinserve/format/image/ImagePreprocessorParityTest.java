package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every image fixture, at both sizes, against the pixels Hugging Face's PIL-based processor made
 * ({@code pixel_values.safetensors}). The bar, from the fixtures README, is in 8-bit levels: mean
 * absolute difference ≤ 0.5 and largest ≤ 8.
 */
class ImagePreprocessorParityTest {

  private static final double MEAN_BAR = 0.5;
  private static final double MAX_BAR = 8;

  private static Map<String, FloatTensor> reference;
  private static ImagePreprocessor small;
  private static ImagePreprocessor large;

  @BeforeAll
  static void setUp() {
    reference = SafetensorsFile.readAll(Fixtures.image("pixel_values.safetensors"));
    small = new ImagePreprocessor(TestSettings.imagenet(64));
    large = new ImagePreprocessor(TestSettings.imagenet(256));
  }

  @AfterAll
  static void tearDown() {
    small.close();
    large.close();
  }

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
    "astronaut.png, 64", "astronaut.png, 256",
    "camera-grayscale.png, 64", "camera-grayscale.png, 256",
    "chelsea-progressive.jpg, 64", "chelsea-progressive.jpg, 256",
    "chelsea.png, 64", "chelsea.png, 256",
    "coffee.png, 64", "coffee.png, 256",
    "green-palette.png, 64", "green-palette.png, 256",
    "hubble_deep_field.jpg, 64", "hubble_deep_field.jpg, 256",
    "logo-rgba.png, 64", "logo-rgba.png, 256",
    "rocket.jpg, 64", "rocket.jpg, 256",
  })
  void matchesHuggingFacePixels(String file, int size) throws IOException {
    ImagePreprocessor preprocessor = size == 64 ? small : large;
    FloatTensor expected = reference.get(file + "@" + size);
    assertThat(expected).as("reference for %s@%d", file, size).isNotNull();

    FloatTensor actual = preprocessor.preprocess(Files.readAllBytes(Fixtures.image(file)));

    assertThat(actual.shape()).containsExactly(size, size, 3);
    PixelDifference difference =
        PixelDifference.ofNchwReference(expected, actual, preprocessor.settings());
    System.out.printf("parity %-24s %3d: %s%n", file, size, difference);
    assertThat(difference.meanLevels())
        .as("%s@%d %s", file, size, difference)
        .isLessThanOrEqualTo(MEAN_BAR);
    assertThat(difference.maxLevels())
        .as("%s@%d %s", file, size, difference)
        .isLessThanOrEqualTo(MAX_BAR);
  }
}
