package dev.swinserve.format.image;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** PNGs with chosen ancillary chunks, built byte by byte. */
final class TestPngs {

  private static final int SIGNATURE_BYTES = 8;

  private TestPngs() {}

  /** A solid 32×24 PNG carrying the JDK's sRGB ICC profile in an iCCP chunk. */
  static byte[] withSrgbProfile() {
    return withIccProfile(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
  }

  /** A solid 32×24 PNG whose iCCP chunk holds {@code profile} (valid or not). */
  static byte[] withIccProfile(byte[] profile) {
    byte[] plain = TestImages.encode(TestImages.solid(32, 24, new Color(200, 120, 40)), "png");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes("ICC Profile".getBytes(StandardCharsets.ISO_8859_1));
    data.write(0); // name terminator
    data.write(0); // compression method: deflate
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflater = new DeflaterOutputStream(compressed, new Deflater())) {
      deflater.write(profile);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    data.writeBytes(compressed.toByteArray());
    return withChunkAfterHeader(plain, "iCCP", data.toByteArray());
  }

  /** {@code png} with a chunk of {@code type} and {@code data} inserted right after IHDR. */
  static byte[] withChunkAfterHeader(byte[] png, String type, byte[] data) {
    int headerEnd = SIGNATURE_BYTES + 4 + 4 + 13 + 4;
    ByteBuffer out = ByteBuffer.allocate(png.length + 12 + data.length);
    out.put(png, 0, headerEnd);
    out.put(chunk(type, data));
    out.put(png, headerEnd, png.length - headerEnd);
    return out.array();
  }

  static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }
}
