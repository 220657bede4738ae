package dev.swinserve.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.runtime.RunPriority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingSchedulerTest {

  private final ServerMetrics metrics = new ServerMetrics();
  private final ServerThreads threads = new ServerThreads();
  private final BatchingScheduler scheduler = new BatchingScheduler(metrics, threads);

  @AfterEach
  void shutDownThreads() {
    scheduler.close();
    threads.close();
  }

  private static BatchingConfig batching(int maxBatch, long delayMillis, int queueSize) {
    return new BatchingConfig(
        maxBatch,
        BatchingConfig.powersOfTwoUpTo(maxBatch),
        Duration.ofMillis(delayMillis),
        queueSize,
        1);
  }

  @Test
  void requestsWaitingTogetherRunAsOneBatchAndEachGetsItsOwnRows() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(8, 0, 64));
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    // The first call occupies the batch thread; the next six queue up behind it.
    CompletableFuture<float[][]> first =
        scheduler.submit(model, FakeClassificationModel.image(100), 1, OptionalLong.empty());
    awaitCalls(model, 1);
    List<CompletableFuture<float[][]>> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(
          scheduler.submit(model, FakeClassificationModel.image(i), 1, OptionalLong.empty()));
    }
    model.open();

    assertThat(first.get(10, TimeUnit.SECONDS)[0][0]).isEqualTo(100f);
    for (int i = 0; i < 6; i++) {
      assertThat(queued.get(i).get(10, TimeUnit.SECONDS)[0][0]).as("request %d", i).isEqualTo(i);
    }
    assertThat(model.batchSizes)
        .as("6 queued images padded to the allowed size 8")
        .containsExactly(1, 8);
  }

  @Test
  void underLoadABatchWaitsForCompanyButALoneCallerIsNeverDelayed() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(4, 10_000, 64));

    // Alone: runs at once although the queue delay is 10 s.
    assertThat(
            scheduler.submit(model, FakeClassificationModel.image(7), 1, OptionalLong.empty())
                .get(5, TimeUnit.SECONDS)[0][0])
        .isEqualTo(7f);

    // Load: requests queued behind a running batch make the next batch wait for company.
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    CompletableFuture<float[][]> running =
        scheduler.submit(model, FakeClassificationModel.image(1), 1, OptionalLong.empty());
    awaitCalls(model, 2);
    CompletableFuture<float[][]> second =
        scheduler.submit(model, FakeClassificationModel.image(2), 1, OptionalLong.empty());
    CompletableFuture<float[][]> third =
        scheduler.submit(model, FakeClassificationModel.image(3), 1, OptionalLong.empty());
    model.open();
    running.get(5, TimeUnit.SECONDS);
    CompletableFuture<float[][]> fourth =
        scheduler.submit(model, FakeClassificationModel.image(4), 1, OptionalLong.empty());
    CompletableFuture<float[][]> fifth =
        scheduler.submit(model, FakeClassificationModel.image(5), 1, OptionalLong.empty());

    assertThat(fifth.get(5, TimeUnit.SECONDS)[0][0]).isEqualTo(5f);
    assertThat(second.join()[0][0] + third.join()[0][0] + fourth.join()[0][0]).isEqualTo(9f);
    assertThat(model.batchSizes)
        .as("alone, running, then four that waited for each other")
        .containsExactly(1, 1, 4);
  }

  @Test
  void aRequestLargerThanTheLargestBatchIsSplitAndReassembledInOrder() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(2, 0, 64));
    float[] five = new float[15];
    for (int i = 0; i < 5; i++) {
      five[3 * i] = 10 * i;
    }

    float[][] rows =
        scheduler.submit(model, five, 5, OptionalLong.empty()).get(10, TimeUnit.SECONDS);

    assertThat(rows).hasNumberOfRows(5);
    for (int i = 0; i < 5; i++) {
      assertThat(rows[i][0]).isEqualTo(10f * i);
    }
    assertThat(model.batchSizes).allMatch(size -> size <= 2);
  }

  @Test
  void anExpiredRequestIsDroppedBeforeCompute() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(8, 0, 64));
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    CompletableFuture<float[][]> blocker =
        scheduler.submit(model, FakeClassificationModel.image(1), 1, OptionalLong.empty());
    awaitCalls(model, 1);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
    CompletableFuture<float[][]> late =
        scheduler.submit(model, FakeClassificationModel.image(2), 1, OptionalLong.of(deadline));
    while (System.nanoTime() <= deadline) {
      Thread.onSpinWait();
    }
    model.open();

    blocker.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DeadlineExpiredException.class);
    assertThat(model.batchSizes).as("the late request never reached the model").containsExactly(1);
  }

  @Test
  void aFullQueueRefusesWithARetryHint() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(1, 0, 2));
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    scheduler.submit(model, FakeClassificationModel.image(1), 1, OptionalLong.empty());
    awaitCalls(model, 1);
    scheduler.submit(model, FakeClassificationModel.image(2), 1, OptionalLong.empty());
    scheduler.submit(model, FakeClassificationModel.image(3), 1, OptionalLong.empty());

    CompletableFuture<float[][]> refused =
        scheduler.submit(model, FakeClassificationModel.image(4), 1, OptionalLong.empty());

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join)
        .hasCauseInstanceOf(OverloadedException.class)
        .hasMessageContaining("retry later");
    OverloadedException overloaded =
        (OverloadedException)
            refused
                .handle((rows, error) -> error.getCause() == null ? error : error.getCause())
                .join();
    assertThat(overloaded.retryAfter()).isPositive();
    model.open();
  }

  @Test
  void metricsCountBatchesAndQueueTime() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(4, 50, 64));
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    List<CompletableFuture<float[][]>> calls = new ArrayList<>();
    calls.add(scheduler.submit(model, FakeClassificationModel.image(9), 1, OptionalLong.empty()));
    awaitCalls(model, 1);
    for (int i = 0; i < 4; i++) {
      calls.add(scheduler.submit(model, FakeClassificationModel.image(i), 1, OptionalLong.empty()));
    }
    model.open();
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    var batchSizes =
        metrics.distributions(false).stream()
            .filter(entry -> entry.getKey().name().equals("batch_size"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(batchSizes.count()).isEqualTo(model.batchSizes.size());
    assertThat(batchSizes.valueCounts()).containsEntry(1L, 1L).containsEntry(4L, 1L);
  }

  @Test
  void backgroundWorkIsQueuedApartAndRunsAtBackgroundPriority() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(4, 0, 64));
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    CompletableFuture<float[][]> background =
        scheduler.submit(
            model,
            FakeClassificationModel.image(5),
            1,
            OptionalLong.empty(),
            RunPriority.BACKGROUND);
    awaitCalls(model, 1);
    // The background batch holds its own thread; a client call is not queued behind it.
    CompletableFuture<float[][]> normal =
        scheduler.submit(model, FakeClassificationModel.image(6), 1, OptionalLong.empty());
    awaitCalls(model, 2);
    model.open();

    assertThat(background.get(5, TimeUnit.SECONDS)[0][0]).isEqualTo(5f);
    assertThat(normal.get(5, TimeUnit.SECONDS)[0][0]).isEqualTo(6f);
    assertThat(model.priorities).containsExactly(RunPriority.BACKGROUND, RunPriority.NORMAL);
    assertThat(metrics.distributions(false))
        .anySatisfy(
            entry -> {
              assertThat(entry.getKey().name()).isEqualTo("batch_size");
              assertThat(entry.getKey().labels()).containsEntry("priority", "background");
            });
  }

  @Test
  void backgroundWorkAlwaysWaitsForCompanyAndRunsAsOneBatch() throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(4, 0, 64));
    List<CompletableFuture<float[][]>> copies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      copies.add(
          scheduler.submit(
              model,
              FakeClassificationModel.image(i),
              1,
              OptionalLong.empty(),
              RunPriority.BACKGROUND));
    }

    for (int i = 0; i < 3; i++) {
      assertThat(copies.get(i).get(5, TimeUnit.SECONDS)[0][0]).isEqualTo(i);
    }
    assertThat(model.batchSizes)
        .as("three copies in one batch, padded to 4, although max_queue_delay is 0")
        .containsExactly(4);
  }

  @Test
  void anErrorFromTheModelFailsItsBatchAndAReplacementThreadServesTheRequestsWaiting()
      throws Exception {
    FakeClassificationModel model = new FakeClassificationModel(batching(1, 0, 64));
    CountDownLatch gate = new CountDownLatch(1);
    model.holdCalls(gate);
    model.failNextCall(new OutOfMemoryError("simulated: Java heap space"));
    CompletableFuture<float[][]> failing =
        scheduler.submit(model, FakeClassificationModel.image(1), 1, OptionalLong.empty());
    awaitCalls(model, 1);
    // Queued behind the batch that will fail; the only batch thread is about to die.
    CompletableFuture<float[][]> waiting =
        scheduler.submit(model, FakeClassificationModel.image(2), 1, OptionalLong.empty());
    model.open();

    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(BatchFailedException.class)
        .hasMessageContaining("fake@1")
        .hasMessageContaining("OutOfMemoryError")
        .hasCauseInstanceOf(OutOfMemoryError.class);
    assertThat(waiting.get(10, TimeUnit.SECONDS)[0][0])
        .as("served by the replacement thread")
        .isEqualTo(2f);
    assertThat(
            scheduler.submit(model, FakeClassificationModel.image(3), 1, OptionalLong.empty())
                .get(10, TimeUnit.SECONDS)[0][0])
        .as("the version keeps serving")
        .isEqualTo(3f);
  }

  private static void awaitCalls(FakeClassificationModel model, int calls)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (model.batchSizes.size() < calls && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(model.batchSizes).hasSizeGreaterThanOrEqualTo(calls);
  }
}
