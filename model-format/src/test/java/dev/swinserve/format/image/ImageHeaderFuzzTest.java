package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the Java-side image header parsers that run before any pixel is decoded: format sniffing,
 * the header dimensions of every format and the GIF first-frame cut. Only {@link
 * ImageDecodeException} may escape; anything else (an index out of bounds, a hang) is a finding.
 * Seeds and past findings: {@code ImageHeaderFuzzTestInputs/headers} under test resources.
 */
class ImageHeaderFuzzTest {

  @FuzzTest
  void headers(byte[] encoded) {
    ImageFormat format;
    try {
      format = ImageFormat.sniff(encoded);
    } catch (ImageDecodeException refused) {
      return;
    }
    try {
      ImageDimensions dimensions = ImageDimensions.read(format, encoded);
      assertThat(dimensions.width()).isPositive();
      assertThat(dimensions.height()).isPositive();
    } catch (ImageDecodeException refused) {
      // documented: a truncated or malformed header
    }
    if (format == ImageFormat.GIF) {
      try {
        byte[] firstFrame = GifFirstFrame.of(encoded);
        // At most a trailer is added, to a GIF that ends right after its first image.
        assertThat(firstFrame.length).isLessThanOrEqualTo(encoded.length + 1);
      } catch (ImageDecodeException refused) {
        // documented: a truncated or malformed block structure
      }
    }
  }
}
