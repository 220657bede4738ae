package dev.swinserve.format.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes little-endian F32, F16 and BF16 bytes into float32 values. */
public final class FloatWidening {

  private FloatWidening() {}

  /** Element types that can be widened to float32 without loss. */
  public enum SourceType {
    F32(4),
    F16(2),
    BF16(2);

    private final int bytes;

    SourceType(int bytes) {
      this.bytes = bytes;
    }

    public int bytes() {
      return bytes;
    }
  }

  /**
   * Reads {@code out.length} values of {@code type} from {@code source}, starting at its position.
   */
  public static void decode(ByteBuffer source, SourceType type, float[] out) {
    ByteBuffer little = source.slice().order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case F32 -> little.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = halfToFloat(little.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((little.getShort(2 * i) & 0xffff) << 16);
        }
      }
    }
  }

  /**
   * IEEE 754 binary16 to float32, exact for every value including subnormals, infinities and NaN.
   */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
