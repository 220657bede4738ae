package dev.swinserve.server.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.InferParameter;
import dev.swinserve.api.kserve.InferTensorContents;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferRequest.InferInputTensor;
import dev.swinserve.api.kserve.ModelInferRequest.InferRequestedOutputTensor;
import dev.swinserve.server.classify.InvalidInputException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * An HTTP infer request's body as the {@link ModelInferRequest} the gRPC service gets, so both run
 * the same {@link InferCall}. The body is the protocol's JSON object, or, with Triton's binary-data
 * extension ({@value #HEADER_LENGTH} header), that JSON followed by the inputs' raw bytes, each
 * input taking {@code parameters.binary_data_size} of them in order. JSON {@code data} (flat or
 * nested, row-major) becomes typed contents (BYTES elements as UTF-8 strings), binary data {@code
 * raw_input_contents} (BYTES elements 4-byte little-endian length-prefixed). Also read: the
 * request's {@code timeout} parameter (microseconds, as Triton takes it), and which outputs to
 * answer in binary ({@code binary_data_output}; an output's own {@code binary_data} wins).
 *
 * @param message the request; its own parameters without those of the HTTP binding
 * @param timeoutMicros the {@code timeout} parameter
 * @param binaryOutputs the outputs to answer in binary, by name; absent: {@code binaryByDefault}
 */
record HttpInferRequest(
    ModelInferRequest message,
    OptionalLong timeoutMicros,
    boolean binaryByDefault,
    Map<String, Boolean> binaryOutputs) {

  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  static final String BINARY_DATA_SIZE = "binary_data_size";
  static final String BINARY_DATA = "binary_data";
  static final String BINARY_DATA_OUTPUT = "binary_data_output";
  static final String TIMEOUT = "timeout";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether output {@code name} is answered as binary data. */
  boolean binary(String name) {
    return binaryOutputs.getOrDefault(name, binaryByDefault);
  }

  /**
   * @param version empty for none
   * @param body the whole body; read, not kept
   * @param headerLength the {@value #HEADER_LENGTH} header; null without binary data
   * @throws InvalidInputException naming what is wrong: malformed JSON, a field of the wrong type,
   *     binary sizes that do not add up
   */
  static HttpInferRequest parse(
      String model, String version, ByteBuffer body, String headerLength) {
    int jsonLength = body.remaining();
    if (headerLength != null) {
      jsonLength = headerLengthOf(headerLength, body.remaining());
    }
    ByteBuffer json = body.duplicate();
    json.limit(json.position() + jsonLength);
    ByteBuffer binary = body.duplicate();
    binary.position(body.position() + jsonLength);
    JsonNode root = readJson(json);
    if (!root.isObject()) {
      throw new InvalidInputException("the request body must be a JSON object");
    }
    ModelInferRequest.Builder message =
        ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version);
    JsonNode id = root.get("id");
    if (id != null) {
      message.setId(text(id, "id"));
    }
    OptionalLong timeout = OptionalLong.empty();
    boolean binaryByDefault = false;
    for (Map.Entry<String, JsonNode> parameter : fields(root.get("parameters"), "parameters")) {
      String key = parameter.getKey();
      JsonNode value = parameter.getValue();
      switch (key) {
        case TIMEOUT -> timeout = OptionalLong.of(nonNegative(value, "parameters.timeout"));
        case BINARY_DATA_OUTPUT -> binaryByDefault = bool(value, "parameters." + key);
        default -> message.putParameters(key, parameter("parameters." + key, value));
      }
    }
    inputs(root.get("inputs"), binary, message);
    Map<String, Boolean> binaryOutputs = new HashMap<>();
    each(
        root.get("outputs"),
        "outputs",
        output -> {
          String name = text(output.get("name"), "outputs[].name");
          InferRequestedOutputTensor.Builder tensor = message.addOutputsBuilder().setName(name);
          for (Map.Entry<String, JsonNode> parameter :
              fields(output.get("parameters"), "output '" + name + "' parameters")) {
            String where = "output '" + name + "' parameters." + parameter.getKey();
            if (parameter.getKey().equals(BINARY_DATA)) {
              binaryOutputs.put(name, bool(parameter.getValue(), where));
            } else {
              tensor.putParameters(parameter.getKey(), parameter(where, parameter.getValue()));
            }
          }
        });
    return new HttpInferRequest(message.build(), timeout, binaryByDefault, binaryOutputs);
  }

  private static void inputs(
      JsonNode inputs, ByteBuffer binary, ModelInferRequest.Builder message) {
    int[] binaryInputs = {0};
    each(
        inputs,
        "inputs",
        input -> {
          String name = text(input.get("name"), "inputs[].name");
          InferInputTensor.Builder tensor =
              InferInputTensor.newBuilder()
                  .setName(name)
                  .setDatatype(text(input.get("datatype"), "input '" + name + "' datatype"));
          JsonNode shape = input.get("shape");
          if (shape == null || !shape.isArray()) {
            throw new InvalidInputException("input '" + name + "' needs a shape, an array");
          }
          for (JsonNode size : shape) {
            tensor.addShape(nonNegative(size, "input '" + name + "' shape"));
          }
          long binarySize = -1;
          for (Map.Entry<String, JsonNode> parameter :
              fields(input.get("parameters"), "input '" + name + "' parameters")) {
            String where = "input '" + name + "' parameters." + parameter.getKey();
            if (parameter.getKey().equals(BINARY_DATA_SIZE)) {
              binarySize = nonNegative(parameter.getValue(), where);
            } else {
              tensor.putParameters(parameter.getKey(), parameter(where, parameter.getValue()));
            }
          }
          JsonNode data = input.get("data");
          if (binarySize >= 0) {
            if (data != null) {
              throw new InvalidInputException(
                  "input '" + name + "' has both data and parameters.binary_data_size; send one");
            }
            if (binarySize > binary.remaining()) {
              throw new InvalidInputException(
                  "input '"
                      + name
                      + "' has binary_data_size "
                      + binarySize
                      + " but only "
                      + binary.remaining()
                      + " bytes of binary data are left");
            }
            ByteBuffer slice = binary.duplicate();
            slice.limit(slice.position() + (int) binarySize);
            message.addRawInputContents(ByteString.copyFrom(slice));
            binary.position(binary.position() + (int) binarySize);
            binaryInputs[0]++;
          } else if (data != null) {
            tensor.setContents(contents(name, tensor.getDatatype(), data));
          }
          message.addInputs(tensor);
        });
    if (binary.hasRemaining()) {
      throw new InvalidInputException(
          binary.remaining()
              + " bytes of binary data follow the JSON that no input's binary_data_size claims");
    }
    if (binaryInputs[0] > 0 && binaryInputs[0] != message.getInputsCount()) {
      throw new InvalidInputException(
          "send every input as binary data or none; "
              + binaryInputs[0]
              + " of "
              + message.getInputsCount()
              + " are");
    }
  }

  /**
   * The typed contents of {@code data}. Only the datatypes the model takes are read; any other is
   * refused by {@link InferInputs}, which names the datatypes it takes.
   */
  private static InferTensorContents contents(String name, String datatype, JsonNode data) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    int[] index = {0};
    switch (datatype) {
      case InferInputs.FP32 ->
          flatten(
              data,
              element -> {
                if (!element.isNumber()) {
                  throw new InvalidInputException(
                      "input '" + name + "' is FP32 but element " + index[0] + " is no number");
                }
                contents.addFp32Contents(element.floatValue());
                index[0]++;
              });
      case InferInputs.BYTES ->
          flatten(
              data,
              element -> {
                if (!element.isTextual()) {
                  throw new InvalidInputException(
                      "input '" + name + "' is BYTES but element " + index[0] + " is no string");
                }
                contents.addBytesContents(ByteString.copyFromUtf8(element.textValue()));
                index[0]++;
              });
      default -> {}
    }
    return contents.build();
  }

  /** Row-major: nested arrays are read depth first. */
  private static void flatten(JsonNode data, Consumer<JsonNode> element) {
    if (data.isArray()) {
      for (JsonNode child : data) {
        flatten(child, element);
      }
    } else {
      element.accept(data);
    }
  }

  private static int headerLengthOf(String header, int bodyLength) {
    long length;
    try {
      length = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0 || length > bodyLength) {
      throw new InvalidInputException(
          HEADER_LENGTH
              + " must be the JSON's length in bytes, at most the body's "
              + bodyLength
              + "; got '"
              + InferCall.shown(header)
              + "'");
    }
    return (int) length;
  }

  /**
   * JSON as the protocol sends it: UTF-8 (RFC 8259), decoded strictly. Left to guess, Jackson would
   * take some bytes for UTF-16 or UTF-32 and fail with an I/O error, not a parse error.
   */
  private static JsonNode readJson(ByteBuffer json) {
    Reader text =
        new InputStreamReader(
            new ByteBufferBackedInputStream(json), StandardCharsets.UTF_8.newDecoder());
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || root.isMissingNode()) {
        throw new InvalidInputException("the request body holds no JSON");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("the request body is not UTF-8 JSON");
    } catch (IOException e) {
      // Read from memory, a body can only fail by what it holds.
      throw new InvalidInputException("the request body is not valid JSON: " + e.getMessage());
    }
  }

  private static InferParameter parameter(String where, JsonNode value) {
    InferParameter.Builder parameter = InferParameter.newBuilder();
    if (value.isTextual()) {
      parameter.setStringParam(value.textValue());
    } else if (value.isBoolean()) {
      parameter.setBoolParam(value.booleanValue());
    } else if (value.isIntegralNumber() && value.canConvertToLong()) {
      parameter.setInt64Param(value.longValue());
    } else if (value.isNumber()) {
      parameter.setDoubleParam(value.doubleValue());
    } else {
      throw new InvalidInputException(where + " must be a string, a boolean or a number");
    }
    return parameter.build();
  }

  private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Map.<String, JsonNode>of().entrySet();
    }
    if (!node.isObject()) {
      throw new InvalidInputException(where + " must be a JSON object");
    }
    return node::fields;
  }

  private static void each(JsonNode node, String where, Consumer<JsonNode> action) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      throw new InvalidInputException(where + " must be an array of objects");
    }
    for (JsonNode element : node) {
      if (!element.isObject()) {
        throw new InvalidInputException(where + " must be an array of objects");
      }
      action.accept(element);
    }
  }

  private static String text(JsonNode node, String where) {
    if (node == null || !node.isTextual()) {
      throw new InvalidInputException(where + " must be a string");
    }
    return node.textValue();
  }

  private static boolean bool(JsonNode node, String where) {
    if (!node.isBoolean()) {
      throw new InvalidInputException(where + " must be true or false");
    }
    return node.booleanValue();
  }

  private static long nonNegative(JsonNode node, String where) {
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new InvalidInputException(where + " must be a non-negative integer, got " + node);
    }
    return node.longValue();
  }
}
