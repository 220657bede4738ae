package dev.swinserve.format.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.tensor.FloatWidening;
import dev.swinserve.format.tensor.TensorFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a <a href="https://github.com/huggingface/safetensors">safetensors</a> file: an 8-byte
 * little-endian header length, a JSON header, then raw little-endian data. The header is parsed and
 * checked when the file is opened (offsets inside the file, sizes matching shapes); tensors are
 * read on demand. F32, F16 and BF16 tensors are returned as float32; other dtypes are refused by
 * name.
 *
 * <p>Not thread-safe; close it to release the file.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** A safetensors header may not exceed 100 MB (the format's own limit). */
  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One tensor's header entry; offsets are absolute positions in the file. */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {}

  private final Path file;
  private final FileChannel channel;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path file, FileChannel channel, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens and validates {@code file}; fails with a message naming the file and the problem. */
  public static SafetensorsFile open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new TensorFormatException(file + ": cannot open: " + e.getMessage(), e);
    }
    try {
      long size = sizeOf(channel, file);
      if (size < 8) {
        throw new TensorFormatException(file + ": truncated: " + size + " bytes, no header length");
      }
      ByteBuffer lengthBytes = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
        throw new TensorFormatException(
            file
                + ": truncated or not safetensors: header length "
                + headerLength
                + " in a file of "
                + size
                + " bytes");
      }
      ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength, file);
      byte[] json = new byte[(int) headerLength];
      headerBytes.get(json);
      JsonNode header;
      try {
        header = JSON.readTree(json);
      } catch (IOException e) {
        throw new TensorFormatException(file + ": header is not valid JSON: " + e.getMessage(), e);
      }
      long dataStart = 8 + headerLength;
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("__metadata__")) {
          field
              .getValue()
              .fields()
              .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        entries.put(
            field.getKey(), parseEntry(file, field.getKey(), field.getValue(), dataStart, size));
      }
      return new SafetensorsFile(
          file,
          channel,
          Collections.unmodifiableMap(entries),
          Collections.unmodifiableMap(metadata));
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Reads every tensor of {@code file} as float32, in header order. */
  public static Map<String, FloatTensor> readAll(Path file) {
    try (SafetensorsFile safetensors = open(file)) {
      Map<String, FloatTensor> tensors = new LinkedHashMap<>();
      for (String name : safetensors.entries().keySet()) {
        tensors.put(name, safetensors.read(name));
      }
      return tensors;
    }
  }

  public Path file() {
    return file;
  }

  /** Header entries by tensor name, in file order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The free-form {@code __metadata__} map (empty if absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads one tensor, widened to float32. */
  public FloatTensor read(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new TensorFormatException(file + ": no tensor named '" + name + "'");
    }
    FloatWidening.SourceType type = floatType(entry);
    long count = FloatTensor.elementCount(entry.shape());
    if (count > Integer.MAX_VALUE - 8) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + name
              + "' has "
              + count
              + " elements, more than one Java array holds");
    }
    float[] values = new float[(int) count];
    ByteBuffer bytes = readFully(channel, entry.begin(), (int) (entry.end() - entry.begin()), file);
    FloatWidening.decode(bytes, type, values);
    return new FloatTensor(entry.shape().clone(), values);
  }

  private FloatWidening.SourceType floatType(Entry entry) {
    try {
      return FloatWidening.SourceType.valueOf(entry.dtype());
    } catch (IllegalArgumentException e) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + entry.name()
              + "' has dtype "
              + entry.dtype()
              + "; supported are F32, F16 and BF16");
    }
  }

  private static Entry parseEntry(
      Path file, String name, JsonNode node, long dataStart, long size) {
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null
        || shape == null
        || !shape.isArray()
        || offsets == null
        || !offsets.isArray()
        || offsets.size() != 2) {
      throw new TensorFormatException(
          file + ": header entry '" + name + "' lacks dtype, shape or data_offsets");
    }
    long[] dimensions = new long[shape.size()];
    for (int i = 0; i < dimensions.length; i++) {
      dimensions[i] = shape.get(i).asLong(-1);
    }
    long begin = dataStart + offsets.get(0).asLong(-1);
    long end = dataStart + offsets.get(1).asLong(-1);
    if (begin < dataStart || end < begin) {
      throw new TensorFormatException(
          file + ": tensor '" + name + "' has invalid data_offsets " + offsets);
    }
    if (end > size) {
      throw new TensorFormatException(
          file
              + ": truncated: tensor '"
              + name
              + "' ends at byte "
              + end
              + " but the file has "
              + size
              + " bytes");
    }
    long count;
    try {
      count = FloatTensor.elementCount(dimensions);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new TensorFormatException(file + ": tensor '" + name + "' has invalid shape " + shape);
    }
    int elementBytes = bytesPerElement(dtype.asText());
    if (elementBytes > 0 && count * elementBytes != end - begin) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + name
              + "' of dtype "
              + dtype.asText()
              + " and shape "
              + shape
              + " needs "
              + count * elementBytes
              + " bytes, its offsets span "
              + (end - begin));
    }
    return new Entry(name, dtype.asText(), dimensions, begin, end);
  }

  private static int bytesPerElement(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
      default -> 0;
    };
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw new TensorFormatException(
              file + ": truncated at byte " + (position + buffer.position()));
        }
      }
    } catch (IOException e) {
      throw new TensorFormatException(file + ": read failed: " + e.getMessage(), e);
    }
    return buffer.flip();
  }

  private static long sizeOf(FileChannel channel, Path file) {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new TensorFormatException(file + ": cannot read size: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the open failed already; that error is the one to report
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new TensorFormatException(file + ": close failed: " + e.getMessage(), e);
    }
  }
}
