package dev.swinserve.server.scheduling;

import dev.swinserve.server.runtime.ClassificationModel;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Decides when a model runs on which inputs: {@link BatchingScheduler} queues calls per model
 * version and runs them in batches.
 *
 * <p>Thread-safe. The caller keeps the model's handle open until the returned future completes.
 */
public interface InferenceScheduler extends AutoCloseable {

  /**
   * @param pixels {@code images} preprocessed inputs, NHWC, back to back
   * @param deadlineNanoTime a {@link System#nanoTime()} past which the work is dropped with
   *     {@link DeadlineExpiredException} instead of computed
   * @return logits per image; fails with {@link OverloadedException} when the queue is full
   */
  CompletableFuture<float[][]> submit(ClassificationModel model, float[] pixels, int images,
      OptionalLong deadlineNanoTime);

  @Override
  void close();
}
