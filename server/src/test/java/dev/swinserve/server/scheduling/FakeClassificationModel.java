package dev.swinserve.server.scheduling;

import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.testing.ScriptedModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scripted 1×1-pixel model whose logits for an image are (sum of its 3 values, 0): results can be
 * traced back to inputs. Records the batch size of every call and can hold calls at a gate.
 */
final class FakeClassificationModel extends ScriptedModel {

  final List<Integer> batchSizes;

  /** The priority of every call, in call order. */
  final List<RunPriority> priorities = new CopyOnWriteArrayList<>();

  private final AtomicReference<CountDownLatch> gate;
  private final AtomicReference<Error> nextFailure = new AtomicReference<>();

  FakeClassificationModel(BatchingConfig batching) {
    this(batching, new CopyOnWriteArrayList<>(), new AtomicReference<>(new CountDownLatch(0)));
  }

  private FakeClassificationModel(
      BatchingConfig batching, List<Integer> batchSizes, AtomicReference<CountDownLatch> gate) {
    super(
        new ModelVersionId("fake", 1),
        batching,
        (pixels, batchSize) -> {
          batchSizes.add(batchSize);
          awaitQuietly(gate.get());
          float[][] rows = new float[batchSize][];
          for (int i = 0; i < batchSize; i++) {
            rows[i] = new float[] {pixels[3 * i] + pixels[3 * i + 1] + pixels[3 * i + 2], 0};
          }
          return rows;
        });
    this.batchSizes = batchSizes;
    this.gate = gate;
  }

  @Override
  public float[][] logits(float[] pixels, int batchSize, RunPriority priority) {
    priorities.add(priority);
    float[][] rows = logits(pixels, batchSize);
    Error failure = nextFailure.getAndSet(null);
    if (failure != null) {
      throw failure;
    }
    return rows;
  }

  /** The next call (once past the gate) throws {@code failure}, as a model out of memory would. */
  void failNextCall(Error failure) {
    nextFailure.set(failure);
  }

  /** Calls block until {@link #open()}. */
  void holdCalls(CountDownLatch newGate) {
    gate.set(newGate);
  }

  void open() {
    gate.get().countDown();
  }

  static float[] image(float value) {
    return new float[] {value, 0, 0};
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
