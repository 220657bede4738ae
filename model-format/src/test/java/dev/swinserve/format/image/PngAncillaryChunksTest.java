package dev.swinserve.format.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PngAncillaryChunksTest {

  @Test
  void dropsColourProfileAndTextButKeepsTransparencyAndTheImage() {
    byte[] plain = TestImages.encode(TestImages.solid(8, 8, Color.ORANGE), "png");
    byte[] withMetadata =
        TestPngs.withChunkAfterHeader(
            TestPngs.withChunkAfterHeader(
                TestPngs.withIccProfile(new byte[200]),
                "tEXt",
                "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1)),
            "gAMA",
            new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F});
    assertThat(chunkTypes(withMetadata)).contains("iCCP", "tEXt", "gAMA");

    assertThat(chunkTypes(PngAncillaryChunks.withoutMetadata(withMetadata)))
        .containsExactly("IHDR", "IDAT", "IEND");
    byte[] withTransparency = TestPngs.withChunkAfterHeader(plain, "tRNS", new byte[6]);
    assertThat(PngAncillaryChunks.withoutMetadata(withTransparency))
        .as("nothing to drop: the same array")
        .isSameAs(withTransparency);
  }

  @Test
  void fromAChunkThatDoesNotFitOnTheBytesAreKeptForTheDecoderToRefuse() {
    byte[] png = TestPngs.withIccProfile(new byte[200]);
    byte[] truncated = Arrays.copyOf(png, png.length - 20);
    byte[] hugeLength = png.clone();
    hugeLength[33] = (byte) 0x7F; // the iCCP chunk's length, now far beyond the end

    byte[] truncatedStripped = PngAncillaryChunks.withoutMetadata(truncated);
    assertThat(chunkTypes(truncatedStripped))
        .as("iCCP dropped, the cut IDAT kept")
        .startsWith("IHDR", "IDAT")
        .doesNotContain("iCCP");
    assertThat(
            Arrays.copyOfRange(
                truncatedStripped, truncatedStripped.length - 10, truncatedStripped.length))
        .isEqualTo(Arrays.copyOfRange(truncated, truncated.length - 10, truncated.length));
    assertThat(PngAncillaryChunks.withoutMetadata(hugeLength)).isSameAs(hugeLength);
    assertThat(PngAncillaryChunks.withoutMetadata(Arrays.copyOf(png, 10))).hasSize(10);
  }

  @Test
  void aPngWithAProfileDecodesToTheSamePixelsAsWithout() {
    byte[] plain = TestImages.encode(TestImages.fixtureRgb("chelsea.png"), "png");
    assertThat(chunkTypes(plain)).as("decoded as it is").containsOnly("IHDR", "IDAT", "IEND");
    byte[] profiled = TestPngs.withChunkAfterHeader(plain, "iCCP", iccpData());
    try (ImagePreprocessor preprocessor = new ImagePreprocessor(TestSettings.imagenet(32))) {
      assertThat(preprocessor.preprocess(profiled).data())
          .containsExactly(preprocessor.preprocess(plain).data());
    }
  }

  /**
   * TensorFlow logs each libpng warning natively (to file descriptor 2, not System.err), so a fresh
   * JVM decodes PNGs whose iCCP chunk makes libpng warn, and its standard error is read.
   */
  @Test
  void decodingPngsWithABadColourProfileLogsNoNativeWarning()
      throws IOException, InterruptedException {
    ProcessBuilder child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PngWarningProbe.class.getName(),
                "5")
            .redirectErrorStream(true);
    child.environment().put("TF_CPP_MIN_LOG_LEVEL", "0"); // warnings on, whatever the build sets
    Process process = child.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("decoded 10 PNGs").doesNotContain("PNG warning");
  }

  private static byte[] iccpData() {
    byte[] withProfile = TestPngs.withIccProfile(new byte[200]);
    int length = java.nio.ByteBuffer.wrap(withProfile, 33, 4).getInt();
    return Arrays.copyOfRange(withProfile, 41, 41 + length);
  }

  private static List<String> chunkTypes(byte[] png) {
    List<String> types = new ArrayList<>();
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(png);
    buffer.position(8);
    while (buffer.remaining() >= 12) {
      int length = buffer.getInt();
      byte[] type = new byte[4];
      buffer.get(type);
      types.add(new String(type, StandardCharsets.US_ASCII));
      buffer.position(
          (int) Math.min(buffer.limit(), buffer.position() + Integer.toUnsignedLong(length) + 4));
    }
    return types;
  }
}
