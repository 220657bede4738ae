package dev.swinserve.converter.swinv2;

import dev.swinserve.format.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rearranges Hugging Face parameters into the layout the graph multiplies with, once, at export:
 * linear weights {@code [out, in]} become kernels {@code [in, out]}; query, key and value fuse into
 * one {@code [in, 3*in]} kernel (the key has no bias, so its slice of the fused bias is zero); the
 * patch embedding's {@code [out, in, h, w]} filter becomes TensorFlow's {@code [h, w, in, out]}.
 * Values are copied, never changed, so the graph computes exactly what the checkpoint describes.
 */
public final class GraphParameters {

  private GraphParameters() {}

  /** Graph variable name of block {@code block} in stage {@code stage}, without trailing slash. */
  static String block(int stage, int block) {
    return "stage" + stage + "/block" + block;
  }

  /**
   * @param weights checked against {@link ParameterLayout#of(SwinV2Config)} already
   * @return graph parameters by variable name, in model order
   */
  public static Map<String, FloatTensor> prepare(
      SwinV2Config config, Map<String, FloatTensor> weights) {
    Map<String, FloatTensor> graph = new LinkedHashMap<>();
    graph.put(
        "embeddings/projection/kernel",
        permute(weights.get("swinv2.embeddings.patch_embeddings.projection.weight"), 2, 3, 1, 0));
    graph.put(
        "embeddings/projection/bias",
        weights.get("swinv2.embeddings.patch_embeddings.projection.bias"));
    norm(graph, "embeddings/norm", weights, "swinv2.embeddings.norm");
    for (SwinV2Config.Stage stage : config.stages()) {
      for (int b = 0; b < stage.depth(); b++) {
        String name = block(stage.index(), b);
        String key = ParameterLayout.blockPrefix(stage.index(), b);
        String self = key + "attention.self.";
        graph.put(
            name + "/attention/qkv/kernel",
            fusedKernel(
                weights.get(self + "query.weight"),
                weights.get(self + "key.weight"),
                weights.get(self + "value.weight")));
        graph.put(
            name + "/attention/qkv/bias",
            fusedBias(
                stage.dim(), weights.get(self + "query.bias"), weights.get(self + "value.bias")));
        graph.put(name + "/attention/logit_scale", weights.get(self + "logit_scale"));
        String mlp = self + "continuous_position_bias_mlp.";
        graph.put(
            name + "/attention/position_bias/hidden/kernel",
            transpose(weights.get(mlp + "0.weight")));
        graph.put(name + "/attention/position_bias/hidden/bias", weights.get(mlp + "0.bias"));
        graph.put(
            name + "/attention/position_bias/output/kernel",
            transpose(weights.get(mlp + "2.weight")));
        dense(graph, name + "/attention/output", weights, key + "attention.output.dense");
        norm(graph, name + "/norm_before", weights, key + "layernorm_before");
        dense(graph, name + "/mlp/hidden", weights, key + "intermediate.dense");
        dense(graph, name + "/mlp/output", weights, key + "output.dense");
        norm(graph, name + "/norm_after", weights, key + "layernorm_after");
      }
      if (stage.index() < config.stageCount() - 1) {
        String key = ParameterLayout.downsamplePrefix(stage.index());
        graph.put(
            "stage" + stage.index() + "/merge/kernel",
            transpose(weights.get(key + "reduction.weight")));
        norm(graph, "stage" + stage.index() + "/merge/norm", weights, key + "norm");
      }
    }
    norm(graph, "norm", weights, "swinv2.layernorm");
    dense(graph, "classifier", weights, "classifier");
    return graph;
  }

  private static void dense(
      Map<String, FloatTensor> graph, String name, Map<String, FloatTensor> weights, String key) {
    graph.put(name + "/kernel", transpose(weights.get(key + ".weight")));
    graph.put(name + "/bias", weights.get(key + ".bias"));
  }

  private static void norm(
      Map<String, FloatTensor> graph, String name, Map<String, FloatTensor> weights, String key) {
    graph.put(name + "/gamma", weights.get(key + ".weight"));
    graph.put(name + "/beta", weights.get(key + ".bias"));
  }

  /** {@code [rows, columns]} to {@code [columns, rows]}. */
  static FloatTensor transpose(FloatTensor matrix) {
    return permute(matrix, 1, 0);
  }

  private static FloatTensor fusedKernel(FloatTensor query, FloatTensor key, FloatTensor value) {
    int dim = (int) query.shape()[0];
    float[] fused = new float[dim * 3 * dim];
    FloatTensor[] parts = {query, key, value};
    for (int part = 0; part < 3; part++) {
      float[] weight = parts[part].data();
      for (int out = 0; out < dim; out++) {
        for (int in = 0; in < dim; in++) {
          fused[in * 3 * dim + part * dim + out] = weight[out * dim + in];
        }
      }
    }
    return new FloatTensor(new long[] {dim, 3L * dim}, fused);
  }

  private static FloatTensor fusedBias(int dim, FloatTensor query, FloatTensor value) {
    float[] fused = new float[3 * dim];
    if (query != null) {
      System.arraycopy(query.data(), 0, fused, 0, dim);
    }
    if (value != null) {
      System.arraycopy(value.data(), 0, fused, 2 * dim, dim);
    }
    return new FloatTensor(new long[] {3L * dim}, fused);
  }

  /** A general axis permutation: result axis i is source axis {@code order[i]}. */
  static FloatTensor permute(FloatTensor tensor, int... order) {
    long[] shape = tensor.shape();
    int rank = shape.length;
    long[] resultShape = new long[rank];
    for (int i = 0; i < rank; i++) {
      resultShape[i] = shape[order[i]];
    }
    long[] sourceStrides = strides(shape);
    float[] source = tensor.data();
    float[] result = new float[source.length];
    int[] index = new int[rank];
    for (int position = 0; position < result.length; position++) {
      long offset = 0;
      for (int i = 0; i < rank; i++) {
        offset += index[i] * sourceStrides[order[i]];
      }
      result[position] = source[(int) offset];
      for (int i = rank - 1; i >= 0; i--) {
        if (++index[i] < resultShape[i]) {
          break;
        }
        index[i] = 0;
      }
    }
    return new FloatTensor(resultShape, result);
  }

  private static long[] strides(long[] shape) {
    long[] strides = new long[shape.length];
    long stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
    return strides;
  }
}
