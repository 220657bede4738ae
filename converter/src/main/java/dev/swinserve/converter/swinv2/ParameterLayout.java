package dev.swinserve.converter.swinv2;

import dev.swinserve.format.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parameters a {@code Swinv2ForImageClassification} of a given config holds, by Hugging Face
 * key, with their shapes. Used to check a checkpoint before anything is built, and to draw demo
 * weights of the right shapes.
 */
public final class ParameterLayout {

  /** Hidden width of the continuous position bias MLP (fixed by the architecture). */
  public static final int POSITION_BIAS_HIDDEN = 512;

  private static final String ENCODER = "swinv2.encoder.layers.";

  private final Map<String, long[]> shapes;

  private ParameterLayout(Map<String, long[]> shapes) {
    this.shapes = shapes;
  }

  public static ParameterLayout of(SwinV2Config config) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    int embed = config.embedDim();
    int patch = config.patchSize();
    shapes.put(
        "swinv2.embeddings.patch_embeddings.projection.weight", dims(embed, 3, patch, patch));
    shapes.put("swinv2.embeddings.patch_embeddings.projection.bias", dims(embed));
    shapes.put("swinv2.embeddings.norm.weight", dims(embed));
    shapes.put("swinv2.embeddings.norm.bias", dims(embed));
    for (SwinV2Config.Stage stage : config.stages()) {
      int dim = stage.dim();
      for (int block = 0; block < stage.depth(); block++) {
        String prefix = blockPrefix(stage.index(), block);
        shapes.put(prefix + "attention.self.logit_scale", dims(stage.heads(), 1, 1));
        shapes.put(
            prefix + "attention.self.continuous_position_bias_mlp.0.weight",
            dims(POSITION_BIAS_HIDDEN, 2));
        shapes.put(
            prefix + "attention.self.continuous_position_bias_mlp.0.bias",
            dims(POSITION_BIAS_HIDDEN));
        shapes.put(
            prefix + "attention.self.continuous_position_bias_mlp.2.weight",
            dims(stage.heads(), POSITION_BIAS_HIDDEN));
        shapes.put(prefix + "attention.self.query.weight", dims(dim, dim));
        if (config.qkvBias()) {
          shapes.put(prefix + "attention.self.query.bias", dims(dim));
        }
        shapes.put(prefix + "attention.self.key.weight", dims(dim, dim));
        shapes.put(prefix + "attention.self.value.weight", dims(dim, dim));
        if (config.qkvBias()) {
          shapes.put(prefix + "attention.self.value.bias", dims(dim));
        }
        shapes.put(prefix + "attention.output.dense.weight", dims(dim, dim));
        shapes.put(prefix + "attention.output.dense.bias", dims(dim));
        shapes.put(prefix + "layernorm_before.weight", dims(dim));
        shapes.put(prefix + "layernorm_before.bias", dims(dim));
        int hidden = config.mlpHiddenDim(dim);
        shapes.put(prefix + "intermediate.dense.weight", dims(hidden, dim));
        shapes.put(prefix + "intermediate.dense.bias", dims(hidden));
        shapes.put(prefix + "output.dense.weight", dims(dim, hidden));
        shapes.put(prefix + "output.dense.bias", dims(dim));
        shapes.put(prefix + "layernorm_after.weight", dims(dim));
        shapes.put(prefix + "layernorm_after.bias", dims(dim));
      }
      if (stage.index() < config.stageCount() - 1) {
        String prefix = downsamplePrefix(stage.index());
        shapes.put(prefix + "reduction.weight", dims(2 * dim, 4 * dim));
        shapes.put(prefix + "norm.weight", dims(2 * dim));
        shapes.put(prefix + "norm.bias", dims(2 * dim));
      }
    }
    int features = config.numFeatures();
    shapes.put("swinv2.layernorm.weight", dims(features));
    shapes.put("swinv2.layernorm.bias", dims(features));
    shapes.put("classifier.weight", dims(config.numClasses(), features));
    shapes.put("classifier.bias", dims(config.numClasses()));
    return new ParameterLayout(shapes);
  }

  public static String blockPrefix(int stage, int block) {
    return ENCODER + stage + ".blocks." + block + ".";
  }

  public static String downsamplePrefix(int stage) {
    return ENCODER + stage + ".downsample.";
  }

  /** Expected shapes by key, in model order. */
  public Map<String, long[]> shapes() {
    return shapes;
  }

  public long parameterCount() {
    return shapes.values().stream().mapToLong(FloatTensor::elementCount).sum();
  }

  /**
   * Checks that {@code weights} holds exactly this layout's keys with these shapes.
   *
   * @param source names the weights file in error messages
   * @throws IllegalArgumentException listing every missing key, unexpected key and shape mismatch
   */
  public void check(Map<String, FloatTensor> weights, String source) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> expected : shapes.entrySet()) {
      FloatTensor actual = weights.get(expected.getKey());
      if (actual == null) {
        problems.add(
            "missing key "
                + expected.getKey()
                + " (expected shape "
                + Arrays.toString(expected.getValue())
                + ")");
      } else if (!Arrays.equals(actual.shape(), expected.getValue())) {
        problems.add(
            "key "
                + expected.getKey()
                + ": expected shape "
                + Arrays.toString(expected.getValue())
                + ", actual "
                + actual.shapeString());
      }
    }
    for (String key : new TreeSet<>(weights.keySet())) {
      if (!shapes.containsKey(key)) {
        problems.add("unexpected key " + key + " (shape " + weights.get(key).shapeString() + ")");
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 20);
      throw new IllegalArgumentException(
          source
              + " does not match the config: "
              + problems.size()
              + " problem(s):\n  "
              + String.join("\n  ", problems.subList(0, shown))
              + (shown < problems.size()
                  ? "\n  ... and " + (problems.size() - shown) + " more"
                  : ""));
    }
  }

  private static long[] dims(long... dims) {
    return dims;
  }
}
