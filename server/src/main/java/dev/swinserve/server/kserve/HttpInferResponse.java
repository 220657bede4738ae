package dev.swinserve.server.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.ModelInferResponse;
import dev.swinserve.api.kserve.ModelInferResponse.InferOutputTensor;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * A {@link ModelInferResponse} as the HTTP answer: the protocol's JSON, each output's elements in
 * {@code data} (FP32 as numbers, BYTES as strings), or, for the outputs asked for in binary,
 * Triton's binary-data extension: {@code parameters.binary_data_size} in the JSON and the raw bytes
 * after it, the JSON's length in the {@value HttpInferRequest#HEADER_LENGTH} header.
 *
 * @param headerLength the JSON's length when binary data follows it
 */
record HttpInferResponse(byte[] body, OptionalInt headerLength) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static HttpInferResponse of(ModelInferResponse response, HttpInferRequest request) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model_name", response.getModelName());
    root.put("model_version", response.getModelVersion());
    if (!response.getId().isEmpty()) {
      root.put("id", response.getId());
    }
    ArrayNode outputs = root.putArray("outputs");
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    boolean anyBinary = false;
    for (int i = 0; i < response.getOutputsCount(); i++) {
      InferOutputTensor tensor = response.getOutputs(i);
      ByteString raw = response.getRawOutputContents(i);
      ObjectNode output = outputs.addObject();
      output.put("name", tensor.getName());
      output.put("datatype", tensor.getDatatype());
      ArrayNode shape = output.putArray("shape");
      tensor.getShapeList().forEach(shape::add);
      if (request.binary(tensor.getName())) {
        output.putObject("parameters").put(HttpInferRequest.BINARY_DATA_SIZE, raw.size());
        binary.writeBytes(raw.toByteArray());
        anyBinary = true;
      } else {
        data(tensor.getDatatype(), raw, output.putArray("data"));
      }
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    if (!anyBinary) {
      return new HttpInferResponse(json, OptionalInt.empty());
    }
    byte[] body = new byte[json.length + binary.size()];
    System.arraycopy(json, 0, body, 0, json.length);
    System.arraycopy(binary.toByteArray(), 0, body, json.length, binary.size());
    return new HttpInferResponse(body, OptionalInt.of(json.length));
  }

  /** The raw elements of an output as JSON, flat and row-major as the protocol has them. */
  private static void data(String datatype, ByteString raw, ArrayNode data) {
    ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (datatype.equals(InferInputs.BYTES)) {
      while (buffer.hasRemaining()) {
        byte[] element = new byte[buffer.getInt()];
        buffer.get(element);
        data.add(new String(element, StandardCharsets.UTF_8));
      }
    } else {
      while (buffer.hasRemaining()) {
        data.add(buffer.getFloat());
      }
    }
  }
}
