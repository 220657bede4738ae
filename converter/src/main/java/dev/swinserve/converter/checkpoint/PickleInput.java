package dev.swinserve.converter.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over the bytes of a pickle program. Every length read from the program is checked
 * against what is left before anything is allocated, so a corrupt or hostile length cannot exhaust
 * memory.
 */
final class PickleInput {

  private final byte[] bytes;
  private int position;

  PickleInput(byte[] bytes) {
    this.bytes = bytes;
  }

  int position() {
    return position;
  }

  boolean atEnd() {
    return position >= bytes.length;
  }

  int readUnsignedByte() {
    require(1);
    return bytes[position++] & 0xff;
  }

  int readUnsignedShort() {
    return (int) readLittleEndian(2);
  }

  /** A signed 4-byte little-endian integer. */
  int readInt() {
    return (int) readLittleEndian(4);
  }

  long readUnsignedInt() {
    return readLittleEndian(4);
  }

  /** An 8-byte little-endian integer. */
  long readLong() {
    return readLittleEndian(8);
  }

  /** A two's-complement little-endian integer of {@code length} bytes (LONG1, LONG4). */
  long readSignedInteger(long length) {
    if (length < 0 || length > 8) {
      throw new MalformedPickleException(
          "an integer of "
              + length
              + " bytes does not fit in 64 bits; tensor sizes and offsets never need that");
    }
    if (length == 0) {
      return 0;
    }
    long value = readLittleEndian((int) length);
    int unusedBits = 64 - 8 * (int) length;
    return (value << unusedBits) >> unusedBits;
  }

  /** A big-endian IEEE 754 double (BINFLOAT is the one big-endian field in pickles). */
  double readBigEndianDouble() {
    require(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (bytes[position++] & 0xff);
    }
    return Double.longBitsToDouble(bits);
  }

  byte[] readBytes(long length) {
    require(length);
    byte[] result = Arrays.copyOfRange(bytes, position, position + (int) length);
    position += (int) length;
    return result;
  }

  String readUtf8(long length) {
    require(length);
    String text = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
    position += (int) length;
    return text;
  }

  /** Text up to the next newline, which is consumed (the operands of GLOBAL). */
  String readLine() {
    for (int end = position; end < bytes.length; end++) {
      if (bytes[end] == '\n') {
        String line = new String(bytes, position, end - position, StandardCharsets.UTF_8);
        position = end + 1;
        return line;
      }
    }
    throw new MalformedPickleException("truncated: a line has no end");
  }

  private long readLittleEndian(int length) {
    require(length);
    long value = 0;
    for (int i = 0; i < length; i++) {
      value |= (bytes[position + i] & 0xffL) << (8 * i);
    }
    position += length;
    return value;
  }

  private void require(long length) {
    if (length < 0 || length > bytes.length - position) {
      throw new MalformedPickleException(
          "truncated: " + length + " bytes needed, " + (bytes.length - position) + " left");
    }
  }
}
