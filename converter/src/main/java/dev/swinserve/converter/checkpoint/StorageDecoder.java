package dev.swinserve.converter.checkpoint;

import dev.swinserve.format.tensor.FloatWidening;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Widens a storage's little-endian bytes to float32 straight from its stream, a chunk at a time, so
 * that a storage's raw bytes and its floats are never both held in full.
 */
final class StorageDecoder {

  private static final int CHUNK_ELEMENTS = 16 * 1024;

  private StorageDecoder() {}

  /**
   * Skips {@code first} elements of {@code stream}, then decodes the next {@code out.length}
   * elements into {@code out}.
   *
   * @return how many storage elements the stream held up to {@code first + out.length}, skipped
   *     ones included; less than that means the stream ended early, and {@code out} is filled only
   *     partly
   */
  static long decode(InputStream stream, FloatWidening.SourceType type, long first, float[] out)
      throws IOException {
    int bytesPerElement = type.bytes();
    byte[] chunk = new byte[CHUNK_ELEMENTS * bytesPerElement];
    long skipped = 0;
    while (skipped < first) {
      int elements = (int) Math.min(CHUNK_ELEMENTS, first - skipped);
      int read = stream.readNBytes(chunk, 0, elements * bytesPerElement);
      skipped += read / bytesPerElement;
      if (read < elements * bytesPerElement) {
        return skipped;
      }
    }
    float[] decoded = new float[CHUNK_ELEMENTS];
    int done = 0;
    while (done < out.length) {
      int wanted = Math.min(CHUNK_ELEMENTS, out.length - done);
      int elements = stream.readNBytes(chunk, 0, wanted * bytesPerElement) / bytesPerElement;
      // FloatWidening fills a whole array; only the last, shorter chunk needs one of its own size.
      float[] target = elements == decoded.length ? decoded : new float[elements];
      FloatWidening.decode(ByteBuffer.wrap(chunk, 0, elements * bytesPerElement), type, target);
      System.arraycopy(target, 0, out, done, elements);
      done += elements;
      if (elements < wanted) {
        break;
      }
    }
    return first + done;
  }
}
