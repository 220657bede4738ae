package dev.swinserve.server.scheduling;

import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Dynamic batching per model version (see {@link BatchQueue}), configured by the version's {@link
 * BatchingConfig}. With batching disabled every request runs alone, still through the bounded
 * queue. A request with more images than the largest batch is split across batches.
 *
 * <p>Thread-safe. Queues are keyed weakly by the model instance, so a retired version's queue goes
 * away with it.
 */
@Singleton
public final class BatchingScheduler implements InferenceScheduler, Managed {

  private final ServerMetrics metrics;
  private final Map<ClassificationModel, Queues> queues =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final ServerThreads threads;
  private final ExecutorService completions;

  /**
   * @param threads makes the batch threads and the pool that completes the callers' futures
   */
  @Inject
  public BatchingScheduler(ServerMetrics metrics, ServerThreads threads) {
    this.metrics = metrics;
    this.threads = threads;
    this.completions = threads.workers("respond", Runtime.getRuntime().availableProcessors());
  }

  @Override
  public CompletableFuture<float[][]> submit(
      ClassificationModel model,
      float[] pixels,
      int images,
      OptionalLong deadlineNanoTime,
      RunPriority priority) {
    BatchQueue queue = queues.computeIfAbsent(model, Queues::new).of(model, priority);
    int maxBatch = BatchedModel.of(model).maxBatchSize();
    long now = System.nanoTime();
    if (images <= maxBatch) {
      return enqueue(queue, model, pixels, images, deadlineNanoTime, now);
    }
    List<CompletableFuture<float[][]>> parts = new ArrayList<>();
    int length = model.inputLength();
    for (int start = 0; start < images; start += maxBatch) {
      int count = Math.min(maxBatch, images - start);
      float[] part = Arrays.copyOfRange(pixels, start * length, (start + count) * length);
      parts.add(enqueue(queue, model, part, count, deadlineNanoTime, now));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              float[][] rows = new float[images][];
              int row = 0;
              for (CompletableFuture<float[][]> part : parts) {
                for (float[] logits : part.join()) {
                  rows[row++] = logits;
                }
              }
              return rows;
            });
  }

  private static CompletableFuture<float[][]> enqueue(
      BatchQueue queue,
      ClassificationModel model,
      float[] pixels,
      int images,
      OptionalLong deadlineNanoTime,
      long now) {
    BatchTask task =
        new BatchTask(pixels, images, deadlineNanoTime, now, new CompletableFuture<>());
    queue.submit(model, task);
    return task.result();
  }

  /**
   * The queue of a version's normal calls and, made when first needed, the queue of its background
   * work ({@link BatchingConfig#forBackground()}). Background series carry the label {@code
   * priority=background}.
   */
  private final class Queues {
    private final BatchQueue normal;
    private BatchQueue background;

    Queues(ClassificationModel model) {
      normal = newQueue(model, RunPriority.NORMAL, BatchedModel.of(model), labels(model), "batch-");
    }

    synchronized BatchQueue of(ClassificationModel model, RunPriority priority) {
      if (priority == RunPriority.NORMAL) {
        return normal;
      }
      if (background == null) {
        Map<String, String> labels = new HashMap<>(labels(model));
        labels.put("priority", "background");
        background =
            newQueue(
                model,
                RunPriority.BACKGROUND,
                BatchedModel.of(model).forBackground(),
                labels,
                "background-batch-");
      }
      return background;
    }

    private static Map<String, String> labels(ClassificationModel model) {
      return Map.of("model", model.id().name(), "version", Long.toString(model.id().version()));
    }
  }

  private BatchQueue newQueue(
      ClassificationModel model,
      RunPriority priority,
      BatchingConfig batching,
      Map<String, String> labels,
      String threadPrefix) {
    BatchQueue queue =
        new BatchQueue(
            batching,
            priority,
            threads.factory(threadPrefix + model.id()),
            completions,
            metrics.distribution("queue_time", "ms", labels),
            metrics.distribution("compute_time", "ms", labels),
            metrics.distribution("batch_size", "images", labels));
    metrics.weakGauge("queue_depth", labels, queue, BatchQueue::depth);
    return queue;
  }

  /**
   * Forgets every queue; their threads end once idle. The completions pool stays until the {@link
   * ServerThreads} close, for the batches still running.
   */
  @Override
  public void close() {
    queues.clear();
  }
}
