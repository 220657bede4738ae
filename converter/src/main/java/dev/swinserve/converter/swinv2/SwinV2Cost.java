package dev.swinserve.converter.swinv2;

/**
 * Multiply-adds of one forward pass of one image, counted from the config: the dense layers,
 * attention's two batched products, patch embedding, merging and the classifier. Element-wise work
 * (norms, softmax, GELU) and the position-bias MLP are left out, as in the published FLOP counts
 * (SwinV2-T at 256 with window 8: 5.9 G).
 */
public final class SwinV2Cost {

  private SwinV2Cost() {}

  public static long multiplyAdds(SwinV2Config config) {
    int firstResolution = config.stage(0).resolution();
    long total =
        (long) firstResolution
            * firstResolution
            * 3
            * config.patchSize()
            * config.patchSize()
            * config.embedDim();
    for (SwinV2Config.Stage stage : config.stages()) {
      long tokens = (long) stage.resolution() * stage.resolution();
      long dim = stage.dim();
      long hidden = config.mlpHiddenDim(stage.dim());
      long projections = tokens * (4 * dim * dim + 2 * dim * hidden);
      long attention = 2 * tokens * stage.windowTokens() * dim;
      total += stage.depth() * (projections + attention);
      if (stage.index() < config.stageCount() - 1) {
        total += (tokens / 4) * (4 * dim) * (2 * dim);
      }
    }
    return total + (long) config.numFeatures() * config.numClasses();
  }

  /** Floating-point operations: two per multiply-add. */
  public static double gigaFlops(SwinV2Config config) {
    return 2.0 * multiplyAdds(config) / 1e9;
  }
}
