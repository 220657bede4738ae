package dev.swinserve.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code expected.json} as a runner reads it (clients/conformance/README.md): what the fixtures say
 * the server must answer, read back from the file the SDK runners read, not from the fixtures.
 */
record ConformanceExpected(
    String model,
    int side,
    List<String> classNames,
    double parityBar,
    List<float[]> referencePixels,
    List<float[]> referenceLogits,
    List<Image> images) {

  /** A fixture image: its file and the pixels Hugging Face's processor made of it (HWC). */
  record Image(String name, Path file, float[] pixels) {}

  static ConformanceExpected read(Path file) throws IOException {
    JsonNode document = new ObjectMapper().readTree(file.toFile());
    int side = document.get("side").asInt();
    List<String> classNames = new ArrayList<>();
    document.get("class_names").forEach(name -> classNames.add(name.asText()));
    List<float[]> logits = new ArrayList<>();
    for (JsonNode row : document.get("reference").get("logits")) {
      float[] values = new float[row.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) row.get(i).asDouble();
      }
      logits.add(values);
    }
    List<Image> images = new ArrayList<>();
    for (JsonNode image : document.get("images")) {
      images.add(
          new Image(
              image.get("name").asText(),
              Path.of(image.get("file").asText()),
              rows(image.get("pixels")).get(0)));
    }
    return new ConformanceExpected(
        document.get("model").asText(),
        side,
        List.copyOf(classNames),
        document.get("parity_bar").asDouble(),
        rows(document.get("reference").get("pixels")),
        List.copyOf(logits),
        List.copyOf(images));
  }

  /** A {@code {file, shape}} tensor, raw little-endian float32, split along its first axis. */
  private static List<float[]> rows(JsonNode tensor) throws IOException {
    ByteBuffer raw =
        ByteBuffer.wrap(Files.readAllBytes(Path.of(tensor.get("file").asText())))
            .order(ByteOrder.LITTLE_ENDIAN);
    int count = tensor.get("shape").get(0).asInt();
    int size = raw.remaining() / Float.BYTES / count;
    List<float[]> rows = new ArrayList<>(count);
    for (int row = 0; row < count; row++) {
      float[] values = new float[size];
      raw.asFloatBuffer().position(row * size).get(values);
      rows.add(values);
    }
    return List.copyOf(rows);
  }

  /** ‖actual − expected‖ / ‖expected‖ in double precision: the fixtures' parity measure. */
  static double relativeError(List<Float> actual, float[] expected) {
    if (actual.size() != expected.length) {
      throw new AssertionError(actual.size() + " logits, expected " + expected.length);
    }
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = actual.get(i) - (double) expected[i];
      difference += d * d;
      norm += (double) expected[i] * expected[i];
    }
    return Math.sqrt(difference / norm);
  }

  /** The index of the largest value. */
  static int argmax(List<Float> values) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) > values.get(best)) {
        best = i;
      }
    }
    return best;
  }

  /** The index of the largest value. */
  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The softmax of {@code logits}, in double precision. */
  static double[] softmax(List<Float> logits) {
    double max = logits.stream().mapToDouble(Float::doubleValue).max().orElseThrow();
    double[] exp = logits.stream().mapToDouble(value -> Math.exp(value - max)).toArray();
    double sum = Arrays.stream(exp).sum();
    for (int i = 0; i < exp.length; i++) {
      exp[i] /= sum;
    }
    return exp;
  }
}
