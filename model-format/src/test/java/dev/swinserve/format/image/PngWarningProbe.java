package dev.swinserve.format.image;

/**
 * Decodes PNGs with an iCCP chunk a few times in a fresh JVM, so a test can read what native code
 * wrote to the process's standard error. Argument: how many times.
 */
public final class PngWarningProbe {

  private PngWarningProbe() {}

  public static void main(String[] args) {
    int times = Integer.parseInt(args[0]);
    byte[][] images = {TestPngs.withSrgbProfile(), TestPngs.withIccProfile(new byte[200])};
    try (ImagePreprocessor preprocessor = new ImagePreprocessor(TestSettings.imagenet(16))) {
      for (int i = 0; i < times; i++) {
        for (byte[] image : images) {
          preprocessor.preprocess(image);
        }
      }
    }
    System.out.println("decoded " + times * images.length + " PNGs");
  }
}
