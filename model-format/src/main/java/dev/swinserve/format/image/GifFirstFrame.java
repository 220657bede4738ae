package dev.swinserve.format.image;

import java.util.Arrays;

/**
 * Cuts a GIF after its first frame. TensorFlow's GIF decoder decodes every frame into one tensor,
 * so an animation of many frames would cost many times the pixel limit; the model sees only the
 * first frame anyway (as PIL's {@code Image.open} gives it). Stateless.
 */
final class GifFirstFrame {

  private static final byte EXTENSION = 0x21;
  private static final byte IMAGE_DESCRIPTOR = 0x2C;
  private static final byte TRAILER = 0x3B;
  private static final int HEADER_BYTES = 13;
  private static final int IMAGE_DESCRIPTOR_BYTES = 10;

  private GifFirstFrame() {}

  /**
   * The blocks of {@code gif} up to the end of its first image, then a trailer; {@code gif} itself
   * if nothing follows the first image.
   *
   * @throws ImageDecodeException if the block structure is truncated or malformed
   */
  static byte[] of(byte[] gif) {
    int position = HEADER_BYTES + colorTableBytes(gif, HEADER_BYTES - 3);
    while (true) {
      byte introducer = at(gif, position);
      if (introducer == EXTENSION) {
        position = skipSubBlocks(gif, position + 2);
      } else if (introducer == IMAGE_DESCRIPTOR) {
        int descriptorEnd = position + IMAGE_DESCRIPTOR_BYTES;
        int codeSizeByte = descriptorEnd + colorTableBytes(gif, position + 9);
        int imageEnd = skipSubBlocks(gif, codeSizeByte + 1);
        if (imageEnd == gif.length - 1 && gif[imageEnd] == TRAILER) {
          return gif;
        }
        byte[] firstFrame = Arrays.copyOf(gif, imageEnd + 1);
        firstFrame[imageEnd] = TRAILER;
        return firstFrame;
      } else if (introducer == TRAILER) {
        throw new ImageDecodeException("corrupt GIF: it holds no image");
      } else {
        throw new ImageDecodeException(
            String.format(
                "corrupt GIF: unexpected block 0x%02X at byte %d", introducer & 0xFF, position));
      }
    }
  }

  /** The size of the colour table that the packed-fields byte at {@code flagsAt} announces. */
  private static int colorTableBytes(byte[] gif, int flagsAt) {
    int flags = at(gif, flagsAt) & 0xFF;
    return (flags & 0x80) == 0 ? 0 : 3 << ((flags & 0x07) + 1);
  }

  /** Skips length-prefixed sub-blocks up to and including the zero-length terminator. */
  private static int skipSubBlocks(byte[] gif, int position) {
    int length;
    while ((length = at(gif, position) & 0xFF) != 0) {
      position += length + 1;
    }
    return position + 1;
  }

  private static byte at(byte[] gif, int position) {
    if (position >= gif.length) {
      throw new ImageDecodeException(
          "truncated GIF: its blocks end after " + gif.length + " bytes");
    }
    return gif[position];
  }
}
