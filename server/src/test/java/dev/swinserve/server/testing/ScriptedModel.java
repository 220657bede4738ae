package dev.swinserve.server.testing;

import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchedModel;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A 1×1-pixel, two-class model whose logits a test scripts (to answer, throw or block), for tests
 * of what happens around a model rather than in it. Takes pixel tensors only.
 */
public class ScriptedModel implements BatchedModel {

  private final ModelVersionId id;
  private final BiFunction<float[], Integer, float[][]> logits;
  private final BatchingConfig batching;

  public ScriptedModel(ModelVersionId id, BiFunction<float[], Integer, float[][]> logits) {
    this(id, BatchingConfig.defaults(), logits);
  }

  /**
   * @param batching how the scheduler batches this model's calls
   */
  public ScriptedModel(
      ModelVersionId id, BatchingConfig batching, BiFunction<float[], Integer, float[][]> logits) {
    this.id = id;
    this.batching = batching;
    this.logits = logits;
  }

  /** Class 0 wins when the image's first value is positive, class 1 otherwise. */
  public static ScriptedModel signOfFirstValue(ModelVersionId id) {
    return new ScriptedModel(
        id,
        (pixels, batch) -> {
          float[][] rows = new float[batch][];
          for (int i = 0; i < batch; i++) {
            rows[i] = new float[] {pixels[3 * i], -pixels[3 * i]};
          }
          return rows;
        });
  }

  /** A handle on this model that the registry would have made; closing it does nothing. */
  public ModelHandle<ClassificationModel> handle() {
    return new ModelHandle<>(id, this, () -> {});
  }

  @Override
  public float[][] logits(float[] pixels, int batchSize) {
    return logits.apply(pixels, batchSize);
  }

  @Override
  public ModelVersionId id() {
    return id;
  }

  @Override
  public List<String> labels() {
    return List.of("a", "b");
  }

  @Override
  public int height() {
    return 1;
  }

  @Override
  public int width() {
    return 1;
  }

  @Override
  public RuntimeConfig runtime() {
    return RuntimeConfig.defaults();
  }

  @Override
  public BatchingConfig batching() {
    return batching;
  }

  @Override
  public ModelMetadata metadata() {
    return null;
  }

  @Override
  public void preprocess(byte[] encoded, float[] destination, int offset) {
    throw new UnsupportedOperationException("the scripted model takes pixels only");
  }

  @Override
  public void warmUp() {}

  @Override
  public void close() {}
}
