package dev.swinserve.server.scheduling;

import dev.swinserve.server.runtime.ClassificationModel;
import jakarta.inject.Inject;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Runs each call as it comes, on a fixed pool with a bounded queue (no batching across calls). */
public final class DirectScheduler implements InferenceScheduler {

  private final ThreadPoolExecutor executor;
  private final int queueCapacity;

  @Inject
  public DirectScheduler(SchedulingConfig config) {
    this.queueCapacity = config.queueCapacity();
    this.executor = new ThreadPoolExecutor(config.computeThreads(), config.computeThreads(), 0,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.queueCapacity()),
        Threads.daemon("compute"));
  }

  @Override
  public CompletableFuture<float[][]> submit(ClassificationModel model, float[] pixels, int images,
      OptionalLong deadlineNanoTime) {
    CompletableFuture<float[][]> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        if (deadlineNanoTime.isPresent() && System.nanoTime() - deadlineNanoTime.getAsLong() > 0) {
          result.completeExceptionally(new DeadlineExpiredException(
              "deadline passed while queued for " + model.id() + "; not computed"));
          return;
        }
        try {
          result.complete(model.logits(pixels, images));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new OverloadedException("the compute queue of " + queueCapacity
          + " calls is full; retry later"));
    }
    return result;
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
