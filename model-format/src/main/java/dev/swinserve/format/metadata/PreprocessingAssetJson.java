package dev.swinserve.format.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own {@code assets/preprocessing.json}: every key required, snake_case like Hugging
 * Face's. Stateless and thread-safe (Jackson's mapper is, once configured).
 */
final class PreprocessingAssetJson {

  private static final String SOURCE = PreprocessingSettings.ASSET_PATH;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PreprocessingAssetJson() {}

  static String format(PreprocessingSettings settings) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode size = root.putObject("image_size");
    size.put("height", settings.height());
    size.put("width", settings.width());
    root.put("resample", settings.resample());
    root.put("do_rescale", settings.doRescale());
    root.put("rescale_factor", settings.rescaleFactor());
    root.put("do_normalize", settings.doNormalize());
    putTriple(root.putArray("image_mean"), settings.mean());
    putTriple(root.putArray("image_std"), settings.std());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: a tree of numbers always serialises", e);
    }
  }

  static PreprocessingSettings parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(SOURCE + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonFields fields = new JsonFields(root, SOURCE);
    JsonFields size = new JsonFields(fields.node("image_size"), SOURCE + " image_size");
    return new PreprocessingSettings(
        size.positiveInt("height"),
        size.positiveInt("width"),
        fields.resample("resample"),
        fields.bool("do_rescale"),
        fields.positiveNumber("rescale_factor"),
        fields.bool("do_normalize"),
        fields.channelTriple("image_mean"),
        fields.positiveChannelTriple("image_std"));
  }

  static PreprocessingSettings read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static void write(PreprocessingSettings settings, Path file) throws IOException {
    Files.writeString(file, format(settings) + "\n", StandardCharsets.UTF_8);
  }

  private static void putTriple(ArrayNode array, float[] values) {
    for (float value : values) {
      // Written as float so that the file shows 0.485, not 0.48500001430511475.
      array.add(value);
    }
  }
}
