package dev.swinserve.format.image;

/**
 * The pixel size an encoded image announces in its header, read without decoding so that oversized
 * images can be refused before any pixel memory is allocated.
 *
 * @param format the encoding
 * @param width pixels per row, positive
 * @param height rows, positive
 */
record ImageDimensions(ImageFormat format, long width, long height) {

  /**
   * The number of pixels the decoded image will hold; {@link Long#MAX_VALUE} if that overflows (a
   * PNG header may announce 2^32 - 1 by 2^32 - 1), so that no limit is passed by wrapping round.
   */
  long pixels() {
    try {
      return Math.multiplyExact(width, height);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Reads the header of {@code encoded}, already known to be {@code format}.
   *
   * @throws ImageDecodeException if the header is truncated, malformed or announces an empty image
   */
  static ImageDimensions read(ImageFormat format, byte[] encoded) {
    ImageDimensions dimensions =
        switch (format) {
          case PNG -> png(encoded);
          case JPEG -> jpeg(encoded);
          case GIF -> gif(encoded);
          case BMP -> bmp(encoded);
        };
    if (dimensions.width <= 0 || dimensions.height <= 0) {
      throw new ImageDecodeException(
          format
              + " header announces an empty image of "
              + dimensions.width
              + "x"
              + dimensions.height
              + " pixels");
    }
    return dimensions;
  }

  /** Signature, then the IHDR chunk: length, "IHDR", big-endian width and height. */
  private static ImageDimensions png(byte[] bytes) {
    requireLength(bytes, 24, ImageFormat.PNG);
    if (bytes[12] != 'I' || bytes[13] != 'H' || bytes[14] != 'D' || bytes[15] != 'R') {
      throw new ImageDecodeException("corrupt PNG: the first chunk is not IHDR");
    }
    return new ImageDimensions(ImageFormat.PNG, bigEndian32(bytes, 16), bigEndian32(bytes, 20));
  }

  /** Walks the marker segments up to the first start-of-frame (SOFn) and reads its size. */
  private static ImageDimensions jpeg(byte[] bytes) {
    int position = 2;
    while (true) {
      // Like libjpeg's next_marker: stray bytes, fill bytes (FF FF) and stuffed zeros (FF 00)
      // before a marker are skipped (libjpeg warns and goes on, so PIL accepts such files).
      requireLength(bytes, position + 2, ImageFormat.JPEG);
      if ((bytes[position] & 0xFF) != 0xFF) {
        position++;
        continue;
      }
      int marker = bytes[position + 1] & 0xFF;
      if (marker == 0xFF || marker == 0x00) {
        position += marker == 0xFF ? 1 : 2;
        continue;
      }
      position += 2;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        continue; // markers without a length field
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new ImageDecodeException("corrupt JPEG: no frame header before the image data");
      }
      requireLength(bytes, position + 2, ImageFormat.JPEG);
      int segmentLength = bigEndian16(bytes, position);
      if (segmentLength < 2) {
        throw new ImageDecodeException("corrupt JPEG: segment length " + segmentLength);
      }
      if (isStartOfFrame(marker)) {
        requireLength(bytes, position + 7, ImageFormat.JPEG);
        return new ImageDimensions(
            ImageFormat.JPEG, bigEndian16(bytes, position + 5), bigEndian16(bytes, position + 3));
      }
      position += segmentLength;
    }
  }

  /** C0 to CF are frame headers, except C4 (Huffman tables), C8 (reserved) and CC (arithmetic). */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /**
   * "GIF87a"/"GIF89a", then the logical screen size, little-endian: the canvas every frame fills.
   */
  private static ImageDimensions gif(byte[] bytes) {
    requireLength(bytes, 13, ImageFormat.GIF);
    return new ImageDimensions(ImageFormat.GIF, littleEndian16(bytes, 6), littleEndian16(bytes, 8));
  }

  /** File header (14 bytes), then the info header: 12-byte OS/2 core or 40+ byte Windows form. */
  private static ImageDimensions bmp(byte[] bytes) {
    requireLength(bytes, 18, ImageFormat.BMP);
    long infoSize = littleEndian32(bytes, 14);
    if (infoSize == 12) {
      requireLength(bytes, 22, ImageFormat.BMP);
      return new ImageDimensions(
          ImageFormat.BMP, littleEndian16(bytes, 18), littleEndian16(bytes, 20));
    }
    if (infoSize < 40) {
      throw new ImageDecodeException("corrupt BMP: info header of " + infoSize + " bytes");
    }
    requireLength(bytes, 26, ImageFormat.BMP);
    long width = (int) littleEndian32(bytes, 18);
    // A negative height marks rows stored top-down; the image has |height| rows either way.
    long height = Math.abs((long) (int) littleEndian32(bytes, 22));
    return new ImageDimensions(ImageFormat.BMP, width, height);
  }

  private static void requireLength(byte[] bytes, int length, ImageFormat format) {
    if (bytes.length < length) {
      throw new ImageDecodeException(
          "truncated or corrupt " + format + ": the header ends after " + bytes.length + " bytes");
    }
  }

  private static int bigEndian16(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) << 8 | (bytes[offset + 1] & 0xFF);
  }

  private static long bigEndian32(byte[] bytes, int offset) {
    return (long) bigEndian16(bytes, offset) << 16 | bigEndian16(bytes, offset + 2);
  }

  private static int littleEndian16(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
  }

  private static long littleEndian32(byte[] bytes, int offset) {
    return (long) littleEndian16(bytes, offset + 2) << 16 | littleEndian16(bytes, offset);
  }
}
