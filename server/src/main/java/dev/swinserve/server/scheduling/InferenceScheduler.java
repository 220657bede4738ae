package dev.swinserve.server.scheduling;

import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
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
   * @param deadlineNanoTime a {@link System#nanoTime()} past which the work is dropped with {@link
   *     DeadlineExpiredException} instead of computed
   * @param priority {@link RunPriority#BACKGROUND} work is queued apart from and runs behind the
   *     calls clients wait for
   * @return logits per image; fails with {@link OverloadedException} when the queue is full
   */
  CompletableFuture<float[][]> submit(
      ClassificationModel model,
      float[] pixels,
      int images,
      OptionalLong deadlineNanoTime,
      RunPriority priority);

  /**
   * {@link #submit(ClassificationModel, float[], int, OptionalLong, RunPriority)} at normal
   * priority.
   */
  default CompletableFuture<float[][]> submit(
      ClassificationModel model, float[] pixels, int images, OptionalLong deadlineNanoTime) {
    return submit(model, pixels, images, deadlineNanoTime, RunPriority.NORMAL);
  }

  @Override
  void close();
}
