package dev.swinserve.converter.swinv2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The architecture of a SwinV2 image classifier, as a Hugging Face {@code Swinv2Config} describes
 * it. Square images only (as every published checkpoint). Construction validates that every stage
 * can be tiled by its window and that every stage's width splits evenly across its heads, so a
 * config that reaches the graph builder is buildable.
 *
 * @param imageSize input height and width in pixels
 * @param patchSize side of the square patches the embedding cuts
 * @param embedDim channels after the patch embedding; each stage doubles it
 * @param depths blocks per stage
 * @param numHeads attention heads per stage
 * @param windowSize attention window side (before per-stage clamping)
 * @param pretrainedWindowSizes per stage; 0 means "normalise position bias by the window itself"
 * @param mlpRatio hidden width of each block's MLP relative to the stage width
 * @param qkvBias whether query and value projections carry a bias (the key never does)
 * @param layerNormEpsilon epsilon of every layer norm
 * @param labels class names, index order
 */
public record SwinV2Config(
    int imageSize,
    int patchSize,
    int embedDim,
    int[] depths,
    int[] numHeads,
    int windowSize,
    int[] pretrainedWindowSizes,
    double mlpRatio,
    boolean qkvBias,
    double layerNormEpsilon,
    List<String> labels) {

  public SwinV2Config {
    depths = depths.clone();
    numHeads = numHeads.clone();
    pretrainedWindowSizes = pretrainedWindowSizes.clone();
    labels = List.copyOf(labels);
    validate(
        imageSize,
        patchSize,
        embedDim,
        depths,
        numHeads,
        windowSize,
        pretrainedWindowSizes,
        mlpRatio,
        labels);
  }

  /** Geometry of one stage: token grid side, effective window, width and heads. */
  public record Stage(
      int index,
      int resolution,
      int window,
      int dim,
      int heads,
      int depth,
      int pretrainedWindow,
      boolean shifts) {

    /** Cyclic shift of block {@code block}: half a window on odd blocks when the stage shifts. */
    public int shift(int block) {
      return shifts && block % 2 == 1 ? window / 2 : 0;
    }

    public int headDim() {
      return dim / heads;
    }

    /** Tokens per window. */
    public int windowTokens() {
      return window * window;
    }

    /** Windows per image. */
    public int windowCount() {
      int perSide = resolution / window;
      return perSide * perSide;
    }

    /** Side used to normalise relative coordinates: the pretrained window, else this window. */
    public int coordinateNormaliser() {
      return pretrainedWindow > 0 ? pretrainedWindow : window;
    }
  }

  public int stageCount() {
    return depths.length;
  }

  public int numClasses() {
    return labels.size();
  }

  /** Width of the last stage, what the final norm and the classifier see. */
  public int numFeatures() {
    return embedDim << (depths.length - 1);
  }

  public int mlpHiddenDim(int dim) {
    return (int) (dim * mlpRatio);
  }

  /**
   * Stage {@code index}, with the official implementation's clamping: a stage whose token grid is
   * no larger than the window uses the whole grid as its one window and never shifts.
   */
  public Stage stage(int index) {
    int resolution = (imageSize / patchSize) >> index;
    boolean clamped = resolution <= windowSize;
    int window = clamped ? resolution : windowSize;
    return new Stage(
        index,
        resolution,
        window,
        embedDim << index,
        numHeads[index],
        depths[index],
        pretrainedWindowSizes[index],
        !clamped);
  }

  public List<Stage> stages() {
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < depths.length; i++) {
      stages.add(stage(i));
    }
    return stages;
  }

  /** Parses a Hugging Face {@code config.json}; the class count is the size of {@code id2label}. */
  public static SwinV2Config fromHuggingFace(JsonNode config) {
    requireValue(config, "model_type", "swinv2");
    if (config.path("use_absolute_embeddings").asBoolean(false)) {
      throw new IllegalArgumentException(
          "config.json: use_absolute_embeddings=true is not supported");
    }
    String activation = config.path("hidden_act").asText("gelu");
    if (!activation.equals("gelu")) {
      throw new IllegalArgumentException(
          "config.json: hidden_act '" + activation + "' is not supported (SwinV2 uses gelu)");
    }
    int channels = config.path("num_channels").asInt(3);
    if (channels != 3) {
      throw new IllegalArgumentException("config.json: num_channels " + channels + ", expected 3");
    }
    int[] depths = intArray(config, "depths");
    JsonNode pretrained = config.get("pretrained_window_sizes");
    return new SwinV2Config(
        requiredInt(config, "image_size"),
        requiredInt(config, "patch_size"),
        requiredInt(config, "embed_dim"),
        depths,
        intArray(config, "num_heads"),
        requiredInt(config, "window_size"),
        pretrained == null ? new int[depths.length] : intArray(config, "pretrained_window_sizes"),
        config.path("mlp_ratio").asDouble(4.0),
        config.path("qkv_bias").asBoolean(true),
        config.path("layer_norm_eps").asDouble(1e-5),
        labels(config));
  }

  /** A Hugging Face style {@code config.json} for this architecture. */
  public ObjectNode toHuggingFace() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = json.createObjectNode();
    node.putArray("architectures").add("Swinv2ForImageClassification");
    node.put("model_type", "swinv2");
    node.put("image_size", imageSize);
    node.put("patch_size", patchSize);
    node.put("num_channels", 3);
    node.put("embed_dim", embedDim);
    putInts(node.putArray("depths"), depths);
    putInts(node.putArray("num_heads"), numHeads);
    node.put("window_size", windowSize);
    putInts(node.putArray("pretrained_window_sizes"), pretrainedWindowSizes);
    node.put("mlp_ratio", mlpRatio);
    node.put("qkv_bias", qkvBias);
    node.put("hidden_act", "gelu");
    node.put("layer_norm_eps", layerNormEpsilon);
    node.put("use_absolute_embeddings", false);
    ObjectNode id2label = node.putObject("id2label");
    ObjectNode label2id = node.putObject("label2id");
    for (int i = 0; i < labels.size(); i++) {
      id2label.put(Integer.toString(i), labels.get(i));
      label2id.put(labels.get(i), i);
    }
    return node;
  }

  private static List<String> labels(JsonNode config) {
    JsonNode id2label = config.get("id2label");
    if (id2label == null || !id2label.isObject() || id2label.isEmpty()) {
      throw new IllegalArgumentException("config.json: id2label is missing or empty");
    }
    String[] labels = new String[id2label.size()];
    id2label
        .fields()
        .forEachRemaining(
            entry -> {
              int index;
              try {
                index = Integer.parseInt(entry.getKey());
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    "config.json: id2label key '" + entry.getKey() + "' is not a class index");
              }
              if (index < 0 || index >= labels.length || labels[index] != null) {
                throw new IllegalArgumentException(
                    "config.json: id2label must number classes 0.."
                        + (labels.length - 1)
                        + " once each; found '"
                        + entry.getKey()
                        + "'");
              }
              labels[index] = entry.getValue().asText();
            });
    return Arrays.asList(labels);
  }

  private static void validate(
      int imageSize,
      int patchSize,
      int embedDim,
      int[] depths,
      int[] numHeads,
      int windowSize,
      int[] pretrainedWindowSizes,
      double mlpRatio,
      List<String> labels) {
    positive("image_size", imageSize);
    positive("patch_size", patchSize);
    positive("embed_dim", embedDim);
    positive("window_size", windowSize);
    if (depths.length == 0
        || numHeads.length != depths.length
        || pretrainedWindowSizes.length != depths.length) {
      throw new IllegalArgumentException(
          "config: depths "
              + Arrays.toString(depths)
              + ", num_heads "
              + Arrays.toString(numHeads)
              + " and pretrained_window_sizes "
              + Arrays.toString(pretrainedWindowSizes)
              + " must name the same number of stages");
    }
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "config: image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
    }
    if (mlpRatio <= 0 || labels.isEmpty()) {
      throw new IllegalArgumentException(
          "config: mlp_ratio must be positive and id2label non-empty");
    }
    int resolution = imageSize / patchSize;
    for (int i = 0; i < depths.length; i++) {
      positive("depths[" + i + "]", depths[i]);
      positive("num_heads[" + i + "]", numHeads[i]);
      int dim = embedDim << i;
      int window = Math.min(resolution, windowSize);
      if (resolution % window != 0) {
        throw new IllegalArgumentException(
            "config: stage "
                + i
                + " has a "
                + resolution
                + "x"
                + resolution
                + " token grid that windows of "
                + window
                + " do not tile");
      }
      if (dim % numHeads[i] != 0) {
        throw new IllegalArgumentException(
            "config: stage "
                + i
                + " width "
                + dim
                + " does not split across "
                + numHeads[i]
                + " heads");
      }
      if (pretrainedWindowSizes[i] == 1 || (pretrainedWindowSizes[i] == 0 && window == 1)) {
        throw new IllegalArgumentException(
            "config: stage "
                + i
                + " would normalise position bias by a window of 1 (division by zero)");
      }
      if (i < depths.length - 1) {
        if (resolution % 2 != 0) {
          throw new IllegalArgumentException(
              "config: stage "
                  + i
                  + " token grid "
                  + resolution
                  + " is odd and cannot be merged into the next stage");
        }
        resolution /= 2;
      }
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("config: " + name + " must be positive, is " + value);
    }
  }

  private static void requireValue(JsonNode config, String key, String expected) {
    JsonNode value = config.get(key);
    if (value != null && !value.asText().equals(expected)) {
      throw new IllegalArgumentException(
          "config.json: " + key + " is '" + value.asText() + "', expected '" + expected + "'");
    }
  }

  private static int requiredInt(JsonNode config, String key) {
    JsonNode value = config.get(key);
    if (value == null || !value.canConvertToInt()) {
      throw new IllegalArgumentException(
          "config.json: '" + key + "' must be an integer, is " + value);
    }
    return value.asInt();
  }

  private static int[] intArray(JsonNode config, String key) {
    JsonNode value = config.get(key);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException("config.json: '" + key + "' must be a list of integers");
    }
    int[] result = new int[value.size()];
    for (int i = 0; i < result.length; i++) {
      if (!value.get(i).canConvertToInt()) {
        throw new IllegalArgumentException("config.json: '" + key + "' must be a list of integers");
      }
      result[i] = value.get(i).asInt();
    }
    return result;
  }

  private static void putInts(ArrayNode array, int[] values) {
    for (int value : values) {
      array.add(value);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SwinV2Config that
        && imageSize == that.imageSize
        && patchSize == that.patchSize
        && embedDim == that.embedDim
        && Arrays.equals(depths, that.depths)
        && Arrays.equals(numHeads, that.numHeads)
        && windowSize == that.windowSize
        && Arrays.equals(pretrainedWindowSizes, that.pretrainedWindowSizes)
        && mlpRatio == that.mlpRatio
        && qkvBias == that.qkvBias
        && layerNormEpsilon == that.layerNormEpsilon
        && labels.equals(that.labels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(depths) * 31 + imageSize * 17 + embedDim + labels.hashCode();
  }

  @Override
  public String toString() {
    return "SwinV2Config[image "
        + imageSize
        + ", patch "
        + patchSize
        + ", embed "
        + embedDim
        + ", depths "
        + Arrays.toString(depths)
        + ", heads "
        + Arrays.toString(numHeads)
        + ", window "
        + windowSize
        + ", pretrained "
        + Arrays.toString(pretrainedWindowSizes)
        + ", classes "
        + labels.size()
        + "]";
  }
}
