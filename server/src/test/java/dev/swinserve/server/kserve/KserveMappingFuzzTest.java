package dev.swinserve.server.kserve;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.server.classify.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the Open Inference Protocol's request mapping, by both doors: bytes parsed as a gRPC
 * {@link ModelInferRequest}, and bytes taken as an HTTP body (JSON, or JSON then binary data behind
 * an {@code Inference-Header-Content-Length}), each then read by {@link InferInputs#images}. Only
 * {@link InvalidInputException} (INVALID_ARGUMENT, HTTP 400) may escape, whatever lengths, shapes
 * and counts the input claims.
 */
class KserveMappingFuzzTest {

  @FuzzTest
  void inferInputs(byte[] message) {
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException notProtobuf) {
      return; // gRPC's own refusal
    }
    try {
      assertThat(InferInputs.images(request)).isNotEmpty();
    } catch (InvalidInputException refused) {
      // documented: INVALID_ARGUMENT naming the input or field
    }
  }

  /**
   * An input starting {@code H} is {@code H<header value>\n<body>}, the binary-data form with
   * whatever header a client sent; any other input is a JSON-only body.
   */
  @FuzzTest
  void httpBody(byte[] input) {
    String header = null;
    ByteBuffer body = ByteBuffer.wrap(input);
    if (input.length > 0 && input[0] == 'H') {
      int newline = 1;
      while (newline < input.length && input[newline] != '\n') {
        newline++;
      }
      header = new String(input, 1, newline - 1, StandardCharsets.ISO_8859_1);
      int start = Math.min(newline + 1, input.length);
      body = ByteBuffer.wrap(input, start, input.length - start).slice();
    }
    try {
      HttpInferRequest request = HttpInferRequest.parse("mini", "", body, header);
      assertThat(request.message().getModelName()).isEqualTo("mini");
      assertThat(InferInputs.images(request.message())).isNotEmpty();
    } catch (InvalidInputException refused) {
      // documented: HTTP 400 naming what is wrong
    }
  }
}
