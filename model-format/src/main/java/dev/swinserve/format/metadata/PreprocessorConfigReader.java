package dev.swinserve.format.metadata;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps a Hugging Face {@code preprocessor_config.json} (ViT-style image processor, as SwinV2
 * checkpoints ship) onto {@link PreprocessingSettings}. Stateless.
 */
final class PreprocessorConfigReader {

  private static final String SOURCE = "preprocessor_config.json";

  private PreprocessorConfigReader() {}

  static PreprocessingSettings read(JsonNode config) {
    JsonFields fields = new JsonFields(config, SOURCE);
    // A processor that skips resizing or crops would feed the model something this project does
    // not reproduce; refusing is better than serving subtly different inputs.
    if (!fields.bool("do_resize", true)) {
      throw fields.invalid("do_resize", "is false; the model needs inputs resized to a fixed size");
    }
    if (fields.bool("do_center_crop", false)) {
      throw fields.invalid("do_center_crop", "is true; center cropping is not supported");
    }
    int[] size = size(fields);
    int resample = fields.resample("resample");
    boolean doRescale = fields.bool("do_rescale", true);
    double rescaleFactor =
        fields.positiveNumber("rescale_factor", PreprocessingSettings.DEFAULT_RESCALE_FACTOR);
    boolean doNormalize = fields.bool("do_normalize", true);
    float[] mean = doNormalize ? fields.channelTriple("image_mean") : new float[] {0, 0, 0};
    float[] std = doNormalize ? fields.positiveChannelTriple("image_std") : new float[] {1, 1, 1};
    return new PreprocessingSettings(
        size[0], size[1], resample, doRescale, rescaleFactor, doNormalize, mean, std);
  }

  /**
   * {@code [height, width]} from {@code "size": 256} or {@code "size": {"height": .., "width":
   * ..}}.
   */
  private static int[] size(JsonFields fields) {
    JsonNode size = fields.node("size");
    if (size.isNumber()) {
      int side = fields.positiveInt("size", size);
      return new int[] {side, side};
    }
    if (size.isObject() && size.has("height") && size.has("width")) {
      return new int[] {
        fields.positiveInt("size.height", size.get("height")),
        fields.positiveInt("size.width", size.get("width"))
      };
    }
    throw fields.invalid(
        "size",
        "must be a positive integer or {\"height\": h, \"width\": w}, got "
            + size
            + " (shortest_edge/longest_edge resizing is not supported)");
  }
}
