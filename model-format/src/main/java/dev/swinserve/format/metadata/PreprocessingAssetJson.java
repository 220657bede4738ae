package dev.swinserve.format.metadata;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.config.ConfigBinder;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.config.ConfigValueException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own {@code assets/preprocessing.json}: every key required, snake_case like Hugging
 * Face's, read with the one strict {@link ConfigBinder} (Hugging Face's own {@code
 * preprocessor_config.json} is not: {@link PreprocessorConfigReader} skips the many keys it does
 * not use). Stateless and thread-safe (Jackson's mapper is, once configured).
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

  /**
   * Binds the asset with the one {@link ConfigBinder}: every key required, unknown and duplicate
   * keys and values of the wrong type refused, each error naming the key and its line.
   */
  static PreprocessingSettings parse(String json) {
    return ConfigTree.parseJson(json, SOURCE).bind(new AssetKeys(), AssetKeys::build);
  }

  /** The asset's keys; none has a default. Not thread-safe. */
  private static final class AssetKeys {
    @JsonProperty("image_size")
    @JsonMerge
    private SizeKeys imageSize = new SizeKeys();

    @JsonProperty("resample")
    private Integer resample;

    @JsonProperty("do_rescale")
    private Boolean doRescale;

    @JsonProperty("rescale_factor")
    private Double rescaleFactor;

    @JsonProperty("do_normalize")
    private Boolean doNormalize;

    @JsonProperty("image_mean")
    private float[] mean;

    @JsonProperty("image_std")
    private float[] std;

    PreprocessingSettings build() {
      int height = required("image_size.height", imageSize.height);
      int width = required("image_size.width", imageSize.width);
      int code = required("resample", resample);
      if (code != PreprocessingSettings.BILINEAR && code != PreprocessingSettings.BICUBIC) {
        throw new ConfigValueException(
            "resample",
            "is "
                + code
                + " ("
                + PreprocessingSettings.resampleName(code)
                + "), not supported; supported are 2 (bilinear) and 3 (bicubic)");
      }
      boolean rescale = required("do_rescale", doRescale);
      double factor = required("rescale_factor", rescaleFactor);
      boolean normalize = required("do_normalize", doNormalize);
      float[] imageMean = required("image_mean", mean);
      float[] imageStd = required("image_std", std);
      try {
        return new PreprocessingSettings(
            height, width, code, rescale, factor, normalize, imageMean, imageStd);
      } catch (IllegalArgumentException e) {
        throw new ConfigValueException("", e.getMessage());
      }
    }
  }

  /** {@code image_size}. */
  private static final class SizeKeys {
    @JsonProperty("height")
    private Integer height;

    @JsonProperty("width")
    private Integer width;
  }

  private static <T> T required(String key, T value) {
    if (value == null) {
      throw new ConfigValueException(key, "is missing");
    }
    return value;
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
