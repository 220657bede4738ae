package dev.swinserve.converter.swinv2;

import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Builds the SwinV2 image classifier's forward pass as TensorFlow ops, following the official
 * implementation: patch embedding and norm; per stage, blocks of (shifted) window attention with
 * scaled cosine similarity and continuous position bias, res-post-norm and an exact-GELU MLP; patch
 * merging between stages; final norm, mean over tokens and the classifier.
 *
 * <p>The residual stream is kept as {@code [batch, tokens, channels]}. Cyclic shift with window
 * partition, its inverse, and patch merging are each one gather with a constant permutation from
 * {@link WindowGeometry}, which avoids the roll/reshape/transpose chains of the reference.
 */
public final class SwinV2Graph {

  /** The logit scale is clamped at ln(1/0.01) before {@code exp}, as in the reference. */
  private static final float MAX_LOGIT_SCALE = (float) Math.log(100.0);

  /** F.normalize's epsilon (1e-12), squared because it bounds the squared norm here. */
  private static final float NORMALIZE_EPSILON_SQUARED = 1e-24f;

  private final Ops tf;
  private final SwinV2Config config;
  private final Function<String, Operand<TFloat32>> parameter;

  /** The two outputs of the classifier, {@code [batch, classes]} each. */
  public record Outputs(Operand<TFloat32> logits, Operand<TFloat32> probabilities) {}

  private SwinV2Graph(Ops tf, SwinV2Config config, Function<String, Operand<TFloat32>> parameter) {
    this.tf = tf;
    this.config = config;
    this.parameter = parameter;
  }

  /**
   * @param parameter the graph parameter of a name from {@link GraphParameters#prepare}
   * @param pixels normalised images, {@code [batch, imageSize, imageSize, 3]}
   */
  public static Outputs build(
      Ops tf,
      SwinV2Config config,
      Function<String, Operand<TFloat32>> parameter,
      Operand<TFloat32> pixels) {
    return new SwinV2Graph(tf, config, parameter).classifier(pixels);
  }

  private Outputs classifier(Operand<TFloat32> pixels) {
    Operand<TFloat32> hidden = embeddings(pixels);
    for (SwinV2Config.Stage stage : config.stages()) {
      for (int block = 0; block < stage.depth(); block++) {
        hidden = block(hidden, stage, block);
      }
      if (stage.index() < config.stageCount() - 1) {
        hidden = patchMerging(hidden, stage);
      }
    }
    hidden = layerNorm(hidden, "norm");
    Operand<TFloat32> pooled = tf.math.mean(hidden, tf.constant(1));
    Operand<TFloat32> logits = tf.withName("logits").identity(dense(pooled, "classifier"));
    Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
    return new Outputs(logits, probabilities);
  }

  private Operand<TFloat32> embeddings(Operand<TFloat32> pixels) {
    long patch = config.patchSize();
    Operand<TFloat32> patches =
        tf.nn.conv2d(
            pixels,
            parameter.apply("embeddings/projection/kernel"),
            List.of(1L, patch, patch, 1L),
            "VALID");
    patches = tf.nn.biasAdd(patches, parameter.apply("embeddings/projection/bias"));
    int resolution = config.stage(0).resolution();
    Operand<TFloat32> tokens = reshape(patches, -1, resolution * resolution, config.embedDim());
    return layerNorm(tokens, "embeddings/norm");
  }

  private Operand<TFloat32> block(Operand<TFloat32> hidden, SwinV2Config.Stage stage, int block) {
    String name = GraphParameters.block(stage.index(), block);
    Ops scoped = tf.withSubScope(name.replace('/', '_'));
    Operand<TFloat32> attention =
        new SwinV2Attention(
                scoped, stage, block, suffix -> parameter.apply(name + "/attention/" + suffix))
            .apply(hidden);
    hidden = tf.math.add(hidden, layerNorm(attention, name + "/norm_before"));
    Operand<TFloat32> flat = reshape(hidden, -1, stage.dim());
    Operand<TFloat32> mlp = dense(gelu(dense(flat, name + "/mlp/hidden")), name + "/mlp/output");
    int tokens = stage.resolution() * stage.resolution();
    return tf.math.add(
        hidden, layerNorm(reshape(mlp, -1, tokens, stage.dim()), name + "/norm_after"));
  }

  private Operand<TFloat32> patchMerging(Operand<TFloat32> hidden, SwinV2Config.Stage stage) {
    int resolution = stage.resolution();
    int merged = (resolution / 2) * (resolution / 2);
    Operand<TFloat32> gathered =
        tf.gather(hidden, tf.constant(WindowGeometry.patchMerging(resolution)), tf.constant(1));
    Operand<TFloat32> grouped = reshape(gathered, -1, 4 * stage.dim());
    Operand<TFloat32> reduced =
        tf.linalg.matMul(grouped, parameter.apply("stage" + stage.index() + "/merge/kernel"));
    return layerNorm(
        reshape(reduced, -1, merged, 2 * stage.dim()), "stage" + stage.index() + "/merge/norm");
  }

  /** LayerNorm over the last axis with the config's epsilon. */
  private Operand<TFloat32> layerNorm(Operand<TFloat32> x, String name) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centered), tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> inverse =
        tf.math.rsqrt(tf.math.add(variance, tf.constant((float) config.layerNormEpsilon())));
    Operand<TFloat32> normalised = tf.math.mul(centered, inverse);
    return tf.math.add(
        tf.math.mul(normalised, parameter.apply(name + "/gamma")), parameter.apply(name + "/beta"));
  }

  /** Exact GELU: x/2 · (1 + erf(x/√2)). */
  private Operand<TFloat32> gelu(Operand<TFloat32> x) {
    Operand<TFloat32> erf =
        tf.math.erf(tf.math.mul(x, tf.constant((float) (1.0 / Math.sqrt(2.0)))));
    return tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(erf, tf.constant(1f)));
  }

  private Operand<TFloat32> dense(Operand<TFloat32> x, String name) {
    return tf.nn.biasAdd(
        tf.linalg.matMul(x, parameter.apply(name + "/kernel")), parameter.apply(name + "/bias"));
  }

  private Operand<TFloat32> reshape(Operand<TFloat32> x, long... shape) {
    return tf.reshape(x, tf.constant(shape));
  }

  /** Window attention of one block, with its constants; see the class comment for layout. */
  private final class SwinV2Attention {
    private final Ops tf;
    private final SwinV2Config.Stage stage;
    private final int shift;
    private final Function<String, Operand<TFloat32>> weight;

    SwinV2Attention(
        Ops tf, SwinV2Config.Stage stage, int block, Function<String, Operand<TFloat32>> weight) {
      this.tf = tf;
      this.stage = stage;
      this.shift = stage.shift(block);
      this.weight = weight;
    }

    Operand<TFloat32> apply(Operand<TFloat32> hidden) {
      int resolution = stage.resolution();
      int window = stage.window();
      int tokens = stage.windowTokens();
      int heads = stage.heads();
      int dim = stage.dim();
      boolean permutes = shift > 0 || stage.windowCount() > 1;
      int[] partition = WindowGeometry.windowPartition(resolution, window, shift);
      Operand<TFloat32> windowed =
          permutes ? tf.gather(hidden, tf.constant(partition), tf.constant(1)) : hidden;

      Operand<TFloat32> qkv =
          tf.nn.biasAdd(
              tf.linalg.matMul(reshape(windowed, -1, dim), weight.apply("qkv/kernel")),
              weight.apply("qkv/bias"));
      // [windows·batch, tokens, 3·heads, headDim] -> [windows·batch, 3·heads, tokens, headDim]
      Operand<TFloat32> perHead =
          tf.linalg.transpose(
              tf.reshape(qkv, tf.constant(new long[] {-1, tokens, 3L * heads, stage.headDim()})),
              tf.constant(new int[] {0, 2, 1, 3}));
      Split<TFloat32> split = tf.split(tf.constant(1), perHead, 3L);
      Operand<TFloat32> query = unitRows(split.output().get(0));
      Operand<TFloat32> key = unitRows(split.output().get(1));
      Operand<TFloat32> value = split.output().get(2);

      Operand<TFloat32> scale =
          tf.math.exp(tf.math.minimum(weight.apply("logit_scale"), tf.constant(MAX_LOGIT_SCALE)));
      Operand<TFloat32> scores =
          tf.train.batchMatMul(
              tf.math.mul(query, scale), key, TFloat32.class, BatchMatMul.adjY(true));
      scores = addBiasAndMask(scores);
      Operand<TFloat32> probabilities = tf.nn.softmax(scores);
      Operand<TFloat32> context = tf.train.batchMatMul(probabilities, value, TFloat32.class);
      Operand<TFloat32> merged =
          reshape(tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3})), -1, dim);
      Operand<TFloat32> projected =
          tf.nn.biasAdd(
              tf.linalg.matMul(merged, weight.apply("output/kernel")), weight.apply("output/bias"));
      Operand<TFloat32> sequence = reshape(projected, -1, (long) resolution * resolution, dim);
      return permutes
          ? tf.gather(sequence, tf.constant(WindowGeometry.inverse(partition)), tf.constant(1))
          : sequence;
    }

    /** Scales rows to unit length over the last axis, like {@code F.normalize(x, dim=-1)}. */
    private Operand<TFloat32> unitRows(Operand<TFloat32> x) {
      Operand<TFloat32> squared =
          tf.sum(tf.math.square(x), tf.constant(-1), org.tensorflow.op.core.Sum.keepDims(true));
      return tf.math.mul(
          x, tf.math.rsqrt(tf.math.maximum(squared, tf.constant(NORMALIZE_EPSILON_SQUARED))));
    }

    /** Adds 16·sigmoid(continuous position bias) and, for shifted windows, the region mask once. */
    private Operand<TFloat32> addBiasAndMask(Operand<TFloat32> scores) {
      int window = stage.window();
      int tokens = stage.windowTokens();
      int heads = stage.heads();
      int side = 2 * window - 1;
      Operand<TFloat32> table =
          tf.constant(
              org.tensorflow.ndarray.Shape.of(side * side, 2),
              org.tensorflow.ndarray.buffer.DataBuffers.of(
                  WindowGeometry.relativeCoordinatesTable(window, stage.coordinateNormaliser())));
      Operand<TFloat32> hiddenBias =
          tf.nn.relu(
              tf.nn.biasAdd(
                  tf.linalg.matMul(table, weight.apply("position_bias/hidden/kernel")),
                  weight.apply("position_bias/hidden/bias")));
      Operand<TFloat32> biasTable =
          tf.linalg.matMul(hiddenBias, weight.apply("position_bias/output/kernel"));
      Operand<TFloat32> bias =
          tf.gather(
              biasTable, tf.constant(WindowGeometry.relativePositionIndex(window)), tf.constant(0));
      bias =
          tf.linalg.transpose(
              reshape(bias, tokens, tokens, heads), tf.constant(new int[] {2, 0, 1}));
      bias = tf.math.mul(tf.math.sigmoid(bias), tf.constant(16f));
      if (shift == 0) {
        return tf.math.add(scores, bias);
      }
      int windows = stage.windowCount();
      Operand<TFloat32> mask =
          tf.constant(
              org.tensorflow.ndarray.Shape.of(windows, 1, tokens, tokens),
              org.tensorflow.ndarray.buffer.DataBuffers.of(
                  WindowGeometry.shiftMask(stage.resolution(), window, shift)));
      Operand<TFloat32> biasAndMask = tf.math.add(mask, bias);
      Operand<TFloat32> perImage = reshape(scores, -1, windows, heads, tokens, tokens);
      return reshape(tf.math.add(perImage, biasAndMask), -1, heads, tokens, tokens);
    }
  }
}
