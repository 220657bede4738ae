package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.swinserve.format.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the whole decode path, header checks and TensorFlow's decoders, on arbitrary bytes. The pixel
 * limit is small (64×64) so that every accepted input decodes in microseconds; what a valid image
 * yields must be finite. Only {@link ImageDecodeException} may escape. Seeds and past findings: {@code
 * ImagePreprocessorFuzzTestInputs/preprocess} under test resources.
 */
class ImagePreprocessorFuzzTest {

  private static final long MAX_PIXELS = 64 * 64;

  private static ImagePreprocessor preprocessor;

  @BeforeAll
  static void createPreprocessor() {
    preprocessor = new ImagePreprocessor(TestSettings.imagenet(8), MAX_PIXELS);
  }

  @AfterAll
  static void closePreprocessor() {
    preprocessor.close();
  }

  @FuzzTest
  void preprocess(byte[] encoded) {
    FloatTensor tensor;
    try {
      tensor = preprocessor.preprocess(encoded);
    } catch (ImageDecodeException refused) {
      return;
    }
    for (float value : tensor.data()) {
      assertThat(value).isFinite();
    }
  }
}
