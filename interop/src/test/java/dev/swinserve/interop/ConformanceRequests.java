package dev.swinserve.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import dev.swinserve.client.SwinserveClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The requests a case describes (clients/conformance/README.md, "input"), built from {@link
 * ConformanceExpected}, and the reference values a case's {@code expect} names.
 */
final class ConformanceRequests {

  private final ConformanceExpected expected;
  private final Duration call;

  ConformanceRequests(ConformanceExpected expected, Duration call) {
    this.expected = expected;
    this.call = call;
  }

  ClassifyRequest request(Map<String, String> request, List<Integer> rows, String id) {
    JsonNode tree = new ObjectMapper().valueToTree(request);
    return request(tree, rows, id);
  }

  /** The request a case's {@code request} describes (clients/conformance/README.md, "input"). */
  ClassifyRequest request(JsonNode request, List<Integer> rows, String id) {
    ModelSpec.Builder model = ModelSpec.newBuilder().setName(request.get("model").asText());
    if (request.has("version")) {
      model.setVersion(request.get("version").asLong());
    } else if (request.has("label")) {
      model.setLabel(request.get("label").asText());
    }
    ClassifyRequest.Builder builder =
        ClassifyRequest.newBuilder()
            .setModel(model)
            .setRequestId(id)
            .setTopK(request.path("top_k").asInt(0))
            .setIncludeLogits(request.path("include_logits").asBoolean(false));
    switch (request.get("input").asText()) {
      case "reference_pixels", "reference_pixels_cycled" ->
          rows.forEach(row -> builder.addImages(pixels(expected.referencePixels().get(row))));
      case "image_files", "image_bytes" ->
          expected
              .images()
              .forEach(
                  image ->
                      builder.addImages(
                          Image.newBuilder().setEncoded(ByteString.copyFrom(read(image.file())))));
      case "corrupt_bytes" ->
          builder.addImages(
              Image.newBuilder()
                  .setEncoded(
                      ByteString.copyFrom(
                          request.get("bytes_utf8").asText().getBytes(StandardCharsets.UTF_8))));
      default -> throw new AssertionError("unknown input " + request.get("input"));
    }
    return builder.build();
  }

  ClassifyRequest probeRequest() {
    return request(Map.of("model", "probe", "input", "reference_pixels"), List.of(0), "probe");
  }

  /** What the same server answers for each fixture image's reference pixels. */
  List<float[]> imagePixelLogits(SwinserveClient client, JsonNode request) {
    ClassifyRequest.Builder pixels =
        ClassifyRequest.newBuilder()
            .setModel(ModelSpec.newBuilder().setName(request.get("model").asText()))
            .setIncludeLogits(true);
    expected.images().forEach(image -> pixels.addImages(pixels(image.pixels())));
    List<float[]> logits = new ArrayList<>();
    for (Classification answer : client.classify(pixels.build(), call).getClassificationsList()) {
      float[] values = new float[answer.getLogitsCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = answer.getLogits(i);
      }
      logits.add(values);
    }
    return logits;
  }

  Image pixels(float[] hwc) {
    PixelTensor.Builder tensor =
        PixelTensor.newBuilder()
            .setHeight(expected.side())
            .setWidth(expected.side())
            .setChannels(3);
    for (float value : hwc) {
      tensor.addValues(value);
    }
    return Image.newBuilder().setPixels(tensor).build();
  }

  List<Integer> rows(JsonNode request) {
    if (request.has("rows")) {
      List<Integer> rows = new ArrayList<>();
      request.get("rows").forEach(row -> rows.add(row.asInt()));
      return rows;
    }
    return IntStream.range(0, expected.referencePixels().size()).boxed().toList();
  }

  double bar(JsonNode value) {
    return value.isTextual() && value.asText().equals("parity_bar")
        ? expected.parityBar()
        : value.asDouble();
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
