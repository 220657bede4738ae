package dev.swinserve.format.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Drops a PNG's metadata chunks before TensorFlow decodes it. TensorFlow's DecodePng ignores colour
 * profiles, gamma, text and the like (it applies no colour management), but libpng still validates
 * them and TensorFlow logs every libpng warning, once per decode: a common PNG with a slightly
 * wrong sRGB profile ("iCCP: known incorrect sRGB profile") wrote one native log line per request.
 * Without those chunks libpng has nothing to warn about, and the decoded pixels are the same.
 *
 * <p>Kept: the critical chunks (IHDR, PLTE, IDAT, IEND, and any unknown critical chunk, which
 * libpng refuses as before) and tRNS, which the decoder reads. Everything after IEND, and
 * everything from a chunk that does not fit on, is kept as it is, for the decoder to refuse.
 * Stateless.
 */
final class PngAncillaryChunks {

  private static final int SIGNATURE_BYTES = 8;

  /** Length, type and CRC around each chunk's data. */
  private static final int CHUNK_OVERHEAD = 12;

  private static final int IEND = type("IEND");
  private static final int TRNS = type("tRNS");

  /** Bit 5 of a chunk type's first byte: set (lower case) for ancillary chunks. */
  private static final int ANCILLARY_BIT = 0x20 << 24;

  private PngAncillaryChunks() {}

  /**
   * {@code png} without its ancillary chunks but tRNS; {@code png} itself when it has none. Chunks
   * are walked up to IEND or up to the first one that does not fit (a truncated or damaged file);
   * from there on the bytes are kept as they are.
   */
  static byte[] withoutMetadata(byte[] png) {
    int[] droppedRanges = new int[8];
    int ranges = 0;
    int droppedBytes = 0;
    int position = SIGNATURE_BYTES;
    while (true) {
      long end = chunkEnd(png, position);
      if (end < 0) {
        break;
      }
      int type = readInt(png, position + 4);
      if (dropped(type)) {
        if (ranges * 2 == droppedRanges.length) {
          droppedRanges = Arrays.copyOf(droppedRanges, droppedRanges.length * 2);
        }
        droppedRanges[ranges * 2] = position;
        droppedRanges[ranges * 2 + 1] = (int) end;
        ranges++;
        droppedBytes += (int) end - position;
      }
      position = (int) end;
      if (type == IEND) {
        break;
      }
    }
    if (ranges == 0) {
      return png;
    }
    byte[] kept = new byte[png.length - droppedBytes];
    int from = 0;
    int written = 0;
    for (int i = 0; i < ranges; i++) {
      int dropFrom = droppedRanges[i * 2];
      System.arraycopy(png, from, kept, written, dropFrom - from);
      written += dropFrom - from;
      from = droppedRanges[i * 2 + 1];
    }
    System.arraycopy(png, from, kept, written, png.length - from);
    return kept;
  }

  private static boolean dropped(int type) {
    return (type & ANCILLARY_BIT) != 0 && type != TRNS;
  }

  /** Where the chunk at {@code position} ends, or -1 if it does not fit in {@code png}. */
  private static long chunkEnd(byte[] png, int position) {
    if (position > png.length - CHUNK_OVERHEAD) {
      return -1;
    }
    long end = position + CHUNK_OVERHEAD + Integer.toUnsignedLong(readInt(png, position));
    return end > png.length ? -1 : end;
  }

  private static int readInt(byte[] bytes, int position) {
    return (bytes[position] & 0xFF) << 24
        | (bytes[position + 1] & 0xFF) << 16
        | (bytes[position + 2] & 0xFF) << 8
        | (bytes[position + 3] & 0xFF);
  }

  private static int type(String name) {
    return readInt(name.getBytes(StandardCharsets.US_ASCII), 0);
  }
}
