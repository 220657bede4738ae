package dev.swinserve.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.runtime.RunPriority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

  private final ServerMetrics metrics = new ServerMetrics();
  private final BatchingConfig batching = new BatchingConfig(1, List.of(1), Duration.ZERO, 16, 1);
  private final FakeClassificationModel model = new FakeClassificationModel(batching);

  @Test
  void whenNoBatchThreadCanStartTheRequestFailsInsteadOfWaitingForEver() throws Exception {
    AtomicBoolean refuse = new AtomicBoolean(true);
    ThreadFactory threads =
        runnable -> {
          if (refuse.get()) {
            throw new OutOfMemoryError("simulated: unable to create native thread");
          }
          return new Thread(runnable);
        };
    BatchQueue queue = queue(threads);

    CompletableFuture<float[][]> refused = submit(queue, 1);
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(BatchFailedException.class)
        .hasMessageContaining("no batch thread of fake@1")
        .hasMessageContaining("unable to create native thread");

    refuse.set(false);
    assertThat(submit(queue, 2).get(10, TimeUnit.SECONDS)[0][0])
        .as("the next request starts a thread")
        .isEqualTo(2f);
  }

  private BatchQueue queue(ThreadFactory threads) {
    Map<String, String> labels = Map.of("model", "fake", "version", "1");
    return new BatchQueue(
        batching,
        RunPriority.NORMAL,
        threads,
        Runnable::run,
        metrics.distribution("queue_time", "ms", labels),
        metrics.distribution("compute_time", "ms", labels),
        metrics.distribution("batch_size", "images", labels));
  }

  private CompletableFuture<float[][]> submit(BatchQueue queue, float value) {
    BatchTask task =
        new BatchTask(
            FakeClassificationModel.image(value),
            1,
            OptionalLong.empty(),
            System.nanoTime(),
            new CompletableFuture<>());
    queue.submit(model, task);
    return task.result();
  }
}
