package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.swinserve.format.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the whole decode path, header checks and TensorFlow's decoders, on arbitrary bytes. The
 * pixel limit is small (64×64) so that every accepted input decodes in microseconds; what a valid
 * image yields must be finite. Only {@link ImageDecodeException} may escape. Seeds and past
 * findings: {@code ImagePreprocessorFuzzTestInputs/preprocess} under test resources.
 */
class ImagePreprocessorFuzzTest {

  private static final long MAX_PIXELS = 64 * 64;

  private static ImagePreprocessor preprocessor;

  /**
   * For FUZZING.md: how many inputs got past the header checks to TensorFlow, and how many decoded.
   */
  private static long inputs;

  private static long reachedDecoder;
  private static long decoded;

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
    if (++inputs % 100_000 == 0) {
      System.out.printf(
          "ImagePreprocessorFuzzTest: %d inputs, %d past the header checks to "
              + "TensorFlow's decoders, %d decoded%n",
          inputs, reachedDecoder, decoded);
    }
    if (passesHeaderChecks(encoded)) {
      reachedDecoder++;
    }
    FloatTensor tensor;
    try {
      tensor = preprocessor.preprocess(encoded);
    } catch (ImageDecodeException refused) {
      return;
    }
    decoded++;
    for (float value : tensor.data()) {
      assertThat(value).isFinite();
    }
  }

  private static boolean passesHeaderChecks(byte[] encoded) {
    try {
      ImageFormat format = ImageFormat.sniff(encoded);
      if (ImageDimensions.read(format, encoded).pixels() > MAX_PIXELS) {
        return false;
      }
      if (format == ImageFormat.GIF) {
        GifFirstFrame.of(encoded);
      }
      return true;
    } catch (ImageDecodeException refused) {
      return false;
    }
  }
}
