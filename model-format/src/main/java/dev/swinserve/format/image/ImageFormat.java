package dev.swinserve.format.image;

import java.util.HexFormat;

/** The encodings {@link ImagePreprocessor} accepts, recognised by their leading magic bytes. */
enum ImageFormat {
  JPEG(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
  PNG(new byte[] {(byte) 0x89, 'P', 'N', 'G'}),
  GIF(new byte[] {'G', 'I', 'F', '8'}),
  BMP(new byte[] {'B', 'M'});

  private static final int SHOWN_BYTES = 8;

  private final byte[] magic;

  ImageFormat(byte[] magic) {
    this.magic = magic;
  }

  /**
   * The format {@code encoded} starts like.
   *
   * @throws ImageDecodeException if it is empty or matches no supported format
   */
  static ImageFormat sniff(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      throw new ImageDecodeException("image is empty");
    }
    for (ImageFormat format : values()) {
      if (format.matches(encoded)) {
        return format;
      }
    }
    int shown = Math.min(SHOWN_BYTES, encoded.length);
    throw new ImageDecodeException(
        "unsupported image format (first bytes "
            + HexFormat.ofDelimiter(" ").formatHex(encoded, 0, shown)
            + "); supported are JPEG, PNG, GIF and BMP");
  }

  private boolean matches(byte[] encoded) {
    if (encoded.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (encoded[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
