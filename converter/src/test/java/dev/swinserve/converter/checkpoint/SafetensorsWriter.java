package dev.swinserve.converter.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small safetensors files (F32 and I64 tensors) for tests. */
final class SafetensorsWriter {

  private record Tensor(String dtype, long[] shape, byte[] bytes) {}

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  SafetensorsWriter floats(String name, long[] shape, float... values) {
    tensors.put(name, new Tensor("F32", shape, TorchCheckpointWriter.littleEndianFloats(values)));
    return this;
  }

  SafetensorsWriter longs(String name, long[] shape, long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      buffer.putLong(value);
    }
    tensors.put(name, new Tensor("I64", shape, buffer.array()));
    return this;
  }

  Path write(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      Tensor tensor = entry.getValue();
      ObjectNode node = header.putObject(entry.getKey());
      node.put("dtype", tensor.dtype());
      ArrayNode shape = node.putArray("shape");
      for (long dimension : tensor.shape()) {
        shape.add(dimension);
      }
      node.putArray("data_offsets").add(data.size()).add(data.size() + tensor.bytes().length);
      data.writeBytes(tensor.bytes());
    }
    byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer length =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(length.array());
    out.writeBytes(headerBytes);
    out.writeBytes(data.toByteArray());
    Files.write(file, out.toByteArray());
    return file;
  }
}
