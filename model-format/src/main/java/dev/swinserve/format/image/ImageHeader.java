package dev.swinserve.format.image;

/**
 * What an encoded image's header announces, read without decoding, so that a server can bound the
 * decoding work of a whole request before it decodes any image. Thread-safe; allocates nothing in
 * proportion to the image.
 */
public final class ImageHeader {

  private ImageHeader() {}

  /**
   * The number of pixels (width × height) {@code encoded} will decode to: for a GIF, its canvas.
   *
   * @throws ImageDecodeException if the bytes are empty, of an unsupported format, or their header
   *     is truncated, malformed or announces an empty image
   */
  public static long pixels(byte[] encoded) {
    return ImageDimensions.read(ImageFormat.sniff(encoded), encoded).pixels();
  }
}
