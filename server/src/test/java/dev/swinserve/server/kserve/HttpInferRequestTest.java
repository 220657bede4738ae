package dev.swinserve.server.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.kserve.InferParameter;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.server.classify.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * HTTP bodies mapped to the ModelInferRequest the gRPC service gets, as tritonclient sends them.
 */
class HttpInferRequestTest {

  @Test
  void jsonDataFlatOrNestedBecomesTypedContents() {
    HttpInferRequest request =
        parse(
            """
            {"id": "a", "inputs": [{"name": "pixels", "datatype": "FP32", "shape": [1, 1, 2, 3],
              "data": [[[[1, 2, 3], [4, 5, 6.5]]]]}],
             "parameters": {"label": "stable", "timeout": 2000, "priority": 1},
             "outputs": [{"name": "logits", "parameters": {"classification": 2}}]}
            """);

    ModelInferRequest message = request.message();
    assertThat(message.getModelName()).isEqualTo("mini");
    assertThat(message.getModelVersion()).isEqualTo("2");
    assertThat(message.getId()).isEqualTo("a");
    assertThat(message.getInputs(0).getShapeList()).containsExactly(1L, 1L, 2L, 3L);
    assertThat(message.getInputs(0).getContents().getFp32ContentsList())
        .containsExactly(1f, 2f, 3f, 4f, 5f, 6.5f);
    assertThat(message.getParametersMap())
        .containsEntry("label", InferParameter.newBuilder().setStringParam("stable").build())
        .containsEntry("priority", InferParameter.newBuilder().setInt64Param(1).build())
        .doesNotContainKey("timeout");
    assertThat(message.getOutputs(0).getParametersMap().get("classification").getInt64Param())
        .isEqualTo(2);
    assertThat(request.timeoutMicros()).hasValue(2000);
    assertThat(request.binary("logits")).as("JSON unless asked").isFalse();
  }

  @Test
  void binaryDataIsSlicedInInputOrderAfterTheJsonHeader() {
    String json =
        """
        {"inputs": [{"name": "images", "datatype": "BYTES", "shape": [1],
          "parameters": {"binary_data_size": 7}}],
         "parameters": {"binary_data_output": true},
         "outputs": [{"name": "logits"}, {"name": "probabilities", "parameters": {"binary_data": false}}]}
        """;
    byte[] raw = {3, 0, 0, 0, 'a', 'b', 'c'};
    ByteBuffer body = ByteBuffer.allocate(json.length() + raw.length);
    body.put(json.getBytes(StandardCharsets.UTF_8)).put(raw).flip();

    HttpInferRequest request =
        HttpInferRequest.parse("mini", "", body, Integer.toString(json.length()));

    assertThat(request.message().getRawInputContents(0).toByteArray()).isEqualTo(raw);
    assertThat(request.message().getInputs(0).hasContents()).isFalse();
    assertThat(request.binary("logits")).isTrue();
    assertThat(request.binary("probabilities")).isFalse();
    assertThatThrownBy(
            () ->
                HttpInferRequest.parse(
                    "mini", "", body.duplicate().rewind(), "" + (json.length() - 1)))
        .isInstanceOf(InvalidInputException.class);
    ByteBuffer extra = ByteBuffer.allocate(json.length() + raw.length + 1);
    extra.put(json.getBytes(StandardCharsets.UTF_8)).put(raw).put((byte) 0).flip();
    assertThatThrownBy(
            () -> HttpInferRequest.parse("mini", "", extra, Integer.toString(json.length())))
        .hasMessageContaining("1 bytes of binary data follow");
  }

  @Test
  void whatIsWrongIsNamed() {
    assertRefused("{\"inputs\": [", "not valid JSON");
    assertRefused("[]", "must be a JSON object");
    assertRefused("{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1]}]}", "inputs[].name");
    assertRefused(
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [-1]}]}",
        "input 'x' shape must be a non-negative integer");
    assertRefused(
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [1]}]}",
        "input 'x' is BYTES but element 0 is no string");
    assertRefused(
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"BYTES\", \"shape\": [1],"
            + " \"parameters\": {\"binary_data_size\": 4}}]}",
        "input 'x' has binary_data_size 4 but only 0 bytes");
    assertRefused("{\"parameters\": {\"timeout\": \"soon\"}}", "parameters.timeout");
    assertRefused("{\"parameters\": {\"x\": [1]}}", "parameters.x must be");
    assertThatThrownBy(() -> HttpInferRequest.parse("mini", "", ByteBuffer.allocate(2), "9"))
        .hasMessageContaining("Inference-Header-Content-Length");
  }

  /** Found by {@code KserveMappingFuzzTest#httpBody}: Jackson took these bytes for UTF-32. */
  @Test
  void bytesThatAreNotUtf8AreRefusedAsInvalidNotAsAServerFault() {
    byte[] utf32Looking = {1, 0, 0, 0, 0, 0, 0, 0, 'p', 'u', 't', 's', '"', ':', '[', '{'};
    assertThatThrownBy(
            () -> HttpInferRequest.parse("mini", "", ByteBuffer.wrap(utf32Looking), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("request body");
    byte[] notUtf8 = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};
    assertThatThrownBy(() -> HttpInferRequest.parse("mini", "", ByteBuffer.wrap(notUtf8), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not UTF-8");
  }

  private static HttpInferRequest parse(String json) {
    return HttpInferRequest.parse(
        "mini", "2", ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), null);
  }

  private static void assertRefused(String json, String messagePart) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(messagePart);
  }
}
