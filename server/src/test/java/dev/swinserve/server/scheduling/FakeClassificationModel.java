package dev.swinserve.server.scheduling;

import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A 1×1-pixel "model" whose logits for an image are (sum of its 3 values, 0): results can be traced
 * back to inputs. Records the batch size of every call and can hold calls at a gate.
 */
final class FakeClassificationModel implements ClassificationModel {

  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final RuntimeConfig runtime;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  FakeClassificationModel(BatchingConfig batching) {
    this.runtime = new RuntimeConfig(0, 0, List.of(1), 1, batching);
  }

  /** Calls block until {@link #open()}. */
  void holdCalls(CountDownLatch newGate) {
    gate = newGate;
  }

  void open() {
    gate.countDown();
  }

  static float[] image(float value) {
    return new float[] {value, 0, 0};
  }

  @Override
  public float[][] logits(float[] pixels, int batchSize) {
    batchSizes.add(batchSize);
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    float[][] rows = new float[batchSize][];
    for (int i = 0; i < batchSize; i++) {
      rows[i] = new float[] {pixels[3 * i] + pixels[3 * i + 1] + pixels[3 * i + 2], 0};
    }
    return rows;
  }

  @Override
  public ModelVersionId id() {
    return new ModelVersionId("fake", 1);
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
    return runtime;
  }

  @Override
  public ModelMetadata metadata() {
    return null;
  }

  @Override
  public void preprocess(byte[] encoded, float[] destination, int offset) {
    throw new UnsupportedOperationException("the fake takes pixels only");
  }

  @Override
  public void warmUp() {}

  @Override
  public void close() {}
}
