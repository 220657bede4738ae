package dev.swinserve.converter.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small {@code pytorch_model.bin} archives laid out as torch.save writes them: stored (not
 * deflated) entries {@code archive/data.pkl}, {@code archive/data/<key>}, {@code archive/version}
 * and, if asked, {@code archive/byteorder}. The state dict pickle has the opcodes torch 1.13 emits.
 */
final class TorchCheckpointWriter {

  private record Tensor(
      String key,
      String storageClass,
      String storageKey,
      long storageElements,
      long offset,
      long[] size,
      long[] stride) {}

  private final List<Tensor> tensors = new ArrayList<>();
  private final Map<String, byte[]> storages = new LinkedHashMap<>();
  private String byteOrder;

  /** A view of storage {@code storageKey}, of class {@code torch.<storageClass>}. */
  TorchCheckpointWriter tensor(
      String key,
      String storageClass,
      String storageKey,
      long storageElements,
      long offset,
      long[] size,
      long[] stride) {
    tensors.add(new Tensor(key, storageClass, storageKey, storageElements, offset, size, stride));
    return this;
  }

  /** The bytes of {@code archive/data/<key>}. */
  TorchCheckpointWriter storage(String key, byte[] bytes) {
    storages.put(key, bytes);
    return this;
  }

  TorchCheckpointWriter floatStorage(String key, float... values) {
    return storage(key, littleEndianFloats(values));
  }

  TorchCheckpointWriter byteOrder(String order) {
    byteOrder = order;
    return this;
  }

  /** The state dict pickle: {key: _rebuild_tensor_v2(storage, offset, size, stride, False, {})}. */
  byte[] statePickle() {
    PickleWriter pickle = new PickleWriter().protocol(2).emptyDict().mark();
    for (Tensor tensor : tensors) {
      pickle
          .text(tensor.key())
          .global("torch._utils", "_rebuild_tensor_v2")
          .mark()
          .mark()
          .text("storage")
          .global("torch", tensor.storageClass())
          .text(tensor.storageKey())
          .text("cpu")
          .integer(tensor.storageElements())
          .tuple()
          .persistentId()
          .integer(tensor.offset())
          .integers(tensor.size())
          .integers(tensor.stride())
          .newFalse()
          .global("collections", "OrderedDict")
          .emptyTuple()
          .reduce()
          .tuple()
          .reduce();
    }
    return pickle.setItems().stop().toBytes();
  }

  Path write(Path file) throws IOException {
    return writeArchive(file, statePickle(), storages, byteOrder);
  }

  /** Writes an archive around any pickle, for pickles the state dict builder cannot express. */
  static Path writeArchive(Path file, byte[] pickle, Map<String, byte[]> storages, String byteOrder)
      throws IOException {
    try (OutputStream stream = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(stream)) {
      storedEntry(zip, "archive/data.pkl", pickle);
      if (byteOrder != null) {
        storedEntry(zip, "archive/byteorder", byteOrder.getBytes(StandardCharsets.US_ASCII));
      }
      for (Map.Entry<String, byte[]> storage : storages.entrySet()) {
        storedEntry(zip, "archive/data/" + storage.getKey(), storage.getValue());
      }
      storedEntry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  static byte[] littleEndianFloats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  static byte[] littleEndianShorts(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      buffer.putShort((short) value);
    }
    return buffer.array();
  }

  private static void storedEntry(ZipOutputStream zip, String name, byte[] bytes)
      throws IOException {
    ZipEntry entry = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }
}
