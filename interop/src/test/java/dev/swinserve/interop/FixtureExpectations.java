package dev.swinserve.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.format.testing.ReferenceOutputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the Python tests are told to expect, written for them as one JSON file (the conftest's
 * {@code served.py} reads it): the repository's names, versions, labels and endpoint, the class
 * names, the parity bar, and the reference values, all read from {@code testdata/fixtures} and
 * never asked of the server. Float tensors go beside it as raw little-endian float32 files, NHWC.
 */
final class FixtureExpectations {

  /** The fixtures' parity bar: ‖out − ref‖ / ‖ref‖ (testdata/fixtures/README.md). */
  static final double PARITY_BAR = 1e-4;

  /** Every image fixture: the formats users send (RGB, grayscale, RGBA, palette; JPEG, PNG). */
  static final List<String> IMAGES =
      List.of(
          "astronaut.png",
          "camera-grayscale.png",
          "chelsea-progressive.jpg",
          "chelsea.png",
          "coffee.png",
          "green-palette.png",
          "hubble_deep_field.jpg",
          "logo-rgba.png",
          "rocket.jpg");

  private static final ObjectMapper JSON = new ObjectMapper();

  private FixtureExpectations() {}

  /** Writes {@code expected.json} and its tensors into {@code directory}; returns the JSON file. */
  static Path write(Path directory) throws IOException {
    Files.createDirectories(directory);
    FloatTensor pixels = ReferenceOutputs.pixels(InteropRepository.CHECKPOINT);
    int side = (int) pixels.shape()[1];
    ObjectNode document = JSON.createObjectNode();
    document.put("model", InteropRepository.MODEL);
    document.set("versions", JSON.valueToTree(InteropRepository.VERSIONS));
    document.set("labels", JSON.valueToTree(InteropRepository.LABELS));
    document.put("default_version", InteropRepository.DEFAULT_VERSION);
    ObjectNode endpoint = document.putObject("endpoint");
    endpoint.put("name", InteropRepository.ENDPOINT);
    endpoint.set("versions", JSON.valueToTree(InteropRepository.VERSIONS));
    document.put("side", side);
    document.set("class_names", JSON.valueToTree(classNames()));
    document.put("parity_bar", PARITY_BAR);
    ObjectNode reference = document.putObject("reference");
    reference.set("pixels", tensor(directory.resolve("reference-pixels.f32"), pixels));
    reference.set("logits", rows(ReferenceOutputs.logits(InteropRepository.CHECKPOINT)));
    ArrayNode images = document.putArray("images");
    Map<String, FloatTensor> imagePixels =
        SafetensorsFile.readAll(Fixtures.image("pixel_values.safetensors"));
    for (String name : IMAGES) {
      FloatTensor expected = imagePixels.get(name + "@" + side);
      if (expected == null) {
        throw new IllegalStateException("pixel_values.safetensors has no " + name + "@" + side);
      }
      ObjectNode image = images.addObject();
      image.put("name", name);
      image.put("file", Fixtures.image(name).toAbsolutePath().toString());
      image.set(
          "pixels",
          tensor(directory.resolve("pixels-" + name + ".f32"), ReferenceOutputs.toNhwc(expected)));
    }
    Path file = directory.resolve("expected.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), document);
    return file;
  }

  /** The checkpoint's {@code id2label}, in index order. */
  private static List<String> classNames() throws IOException {
    JsonNode labels =
        JSON.readTree(
                Fixtures.checkpoint(InteropRepository.CHECKPOINT).resolve("config.json").toFile())
            .path("id2label");
    Map<Integer, String> byIndex = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> i = labels.fields(); i.hasNext(); ) {
      Map.Entry<String, JsonNode> label = i.next();
      byIndex.put(Integer.parseInt(label.getKey()), label.getValue().asText());
    }
    return List.copyOf(byIndex.values());
  }

  private static ObjectNode tensor(Path file, FloatTensor tensor) throws IOException {
    ByteBuffer raw =
        ByteBuffer.allocate(tensor.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(tensor.data());
    Files.write(file, raw.array());
    ObjectNode description = JSON.createObjectNode();
    description.put("file", file.toAbsolutePath().toString());
    description.set("shape", JSON.valueToTree(tensor.shape()));
    return description;
  }

  /** A {@code [n, classes]} tensor as n JSON arrays (Java's shortest round-trip decimals). */
  private static ArrayNode rows(FloatTensor matrix) {
    int columns = (int) matrix.shape()[1];
    ArrayNode rows = JSON.createArrayNode();
    for (int row = 0; row < matrix.shape()[0]; row++) {
      ArrayNode values = rows.addArray();
      for (int column = 0; column < columns; column++) {
        values.add(matrix.data()[row * columns + column]);
      }
    }
    return rows;
  }
}
