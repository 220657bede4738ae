package dev.swinserve.server.scheduling;

import dev.swinserve.server.metrics.Distribution;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The queue and batch threads of one model version. A batch thread takes the oldest request, then
 * gathers more until the batch holds {@code maxBatchSize} images or the oldest has waited {@code
 * maxQueueDelay}. At normal priority it waits for company only under load (the last batch had
 * several requests, or requests were left waiting): a lone caller is never delayed. Background work
 * always waits for company: nobody waits for it, and a few large batches cost less CPU than many
 * small ones and leave the cores free between them. It drops requests whose deadline passed; pads
 * to an allowed (warmed) size; runs the model once, at the queue's priority; hands each request its
 * rows. Threads start with the first request and stop after a minute without one, so a retired
 * version keeps no thread.
 *
 * <p>Holds no reference to the model itself: the threads do, only while they run.
 *
 * <p>A batch thread always gives back its place, like grpc-java's {@code SerializingExecutor}: if
 * anything it runs throws (an {@link Error} from the model, such as {@link OutOfMemoryError}, or a
 * bug outside the model call), the requests it held fail with {@link BatchFailedException}, its
 * place in {@code runningThreads} is released in {@code finally}, and a replacement starts if
 * requests are waiting. A thread that dies never wedges the version.
 */
final class BatchQueue {

  private static final System.Logger LOG = System.getLogger(BatchQueue.class.getName());
  private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final BatchingConfig config;
  private final RunPriority priority;
  private final BlockingQueue<BatchTask> queue;
  private final ThreadFactory threads;

  /** Runs each request's continuation (postprocessing, the response) off the batch thread. */
  private final Executor completions;

  private final Distribution queueTime;
  private final Distribution computeTime;
  private final Distribution batchSize;
  private int runningThreads;

  /** Exponentially weighted batch compute time, for the retry hint. */
  private volatile double averageBatchNanos;

  BatchQueue(
      BatchingConfig config,
      RunPriority priority,
      ThreadFactory threads,
      Executor completions,
      Distribution queueTime,
      Distribution computeTime,
      Distribution batchSize) {
    this.config = config;
    this.priority = priority;
    this.completions = completions;
    this.queue = new ArrayBlockingQueue<>(config.maxQueueSize());
    this.threads = threads;
    this.queueTime = queueTime;
    this.computeTime = computeTime;
    this.batchSize = batchSize;
  }

  int depth() {
    return queue.size();
  }

  /** Queues {@code task}; fails it with {@link OverloadedException} if the queue is full. */
  synchronized void submit(ClassificationModel model, BatchTask task) {
    if (!queue.offer(task)) {
      task.result()
          .completeExceptionally(
              new OverloadedException(
                  "the queue of "
                      + model.id()
                      + " holds "
                      + config.maxQueueSize()
                      + " requests; retry later",
                  retryHint()));
      return;
    }
    startThreads(model);
  }

  /** Starts batch threads up to the configured number. Called holding this queue's lock. */
  private void startThreads(ClassificationModel model) {
    while (runningThreads < config.batchThreads()) {
      runningThreads++;
      try {
        threads.newThread(() -> run(model)).start();
      } catch (RuntimeException | Error e) {
        runningThreads--;
        LOG.log(System.Logger.Level.ERROR, "cannot start a batch thread for " + model.id(), e);
        failWaitingIfNoThread(model, e);
        return;
      }
    }
  }

  /**
   * A thread that did not stop idle gives back its place. If requests wait, a replacement starts
   * when the dying thread had taken a batch; one that failed before taking any (e.g. unable to
   * allocate its buffer) is not replaced, so threads cannot churn, and if no thread is left the
   * waiting requests fail rather than wait for ever.
   */
  private synchronized void release(ClassificationModel model, boolean replace, Throwable failure) {
    runningThreads--;
    if (queue.isEmpty()) {
      return;
    }
    if (replace) {
      startThreads(model);
    } else {
      failWaitingIfNoThread(model, failure);
    }
  }

  /**
   * Fails every waiting request if no batch thread is left to take them. Holding this queue's lock.
   */
  private void failWaitingIfNoThread(ClassificationModel model, Throwable cause) {
    if (runningThreads > 0) {
      return;
    }
    BatchFailedException error =
        new BatchFailedException(
            "no batch thread of " + model.id() + " could run this request: " + cause, cause);
    for (BatchTask task = queue.poll(); task != null; task = queue.poll()) {
      task.result().completeExceptionally(error);
    }
  }

  private Duration retryHint() {
    double batchesAhead = Math.ceil((double) queue.size() / Math.max(1, config.maxBatchSize())) + 1;
    return Duration.ofNanos(
        Math.max(1_000_000L, (long) (batchesAhead * averageBatchNanos / config.batchThreads())));
  }

  private void run(ClassificationModel model) {
    BatchTask carried = null;
    List<BatchTask> batch = List.of();
    boolean stoppedIdle = false;
    boolean tookWork = false;
    Throwable failure = null;
    try {
      float[] buffer = new float[config.maxBatchSize() * model.inputLength()];
      boolean underLoad = priority == RunPriority.BACKGROUND;
      while (true) {
        BatchTask first = carried != null ? carried : queue.poll(IDLE_NANOS, TimeUnit.NANOSECONDS);
        carried = null;
        if (first == null) {
          if (stopIfIdle()) {
            stoppedIdle = true;
            return;
          }
          continue;
        }
        tookWork = true;
        batch = new ArrayList<>();
        batch.add(first);
        int images = first.images();
        long closeAt = underLoad ? first.enqueuedNanoTime() + config.maxQueueDelay().toNanos() : 0;
        while (images < config.maxBatchSize()) {
          long wait = closeAt - System.nanoTime();
          BatchTask next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          if (images + next.images() > config.maxBatchSize()) {
            carried = next;
            break;
          }
          batch.add(next);
          images += next.images();
        }
        boolean leftWaiting = execute(model, batch, buffer);
        underLoad =
            priority == RunPriority.BACKGROUND
                || batch.size() > 1
                || carried != null
                || leftWaiting;
        batch = List.of(); // answered, or being answered on the completions executor
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (Throwable e) {
      failure = e;
      LOG.log(
          System.Logger.Level.ERROR,
          "a batch thread of "
              + model.id()
              + " died; failing the "
              + (batch.size() + (carried == null ? 0 : 1))
              + " requests it held; a replacement starts if requests wait",
          e);
    } finally {
      if (!stoppedIdle) {
        BatchFailedException error =
            new BatchFailedException(
                "the batch thread of "
                    + model.id()
                    + " stopped before computing this request"
                    + (failure == null ? "" : ": " + failure),
                failure);
        batch.forEach(task -> task.result().completeExceptionally(error));
        if (carried != null) {
          carried.result().completeExceptionally(error);
        }
        release(model, tookWork, failure);
      }
    }
  }

  private synchronized boolean stopIfIdle() {
    if (queue.isEmpty()) {
      runningThreads--;
      return true;
    }
    return false;
  }

  /**
   * Runs {@code batch} and hands out its rows. Returns whether requests were waiting when the
   * compute finished, judged before any caller is answered: a caller's next request, sent on its
   * answer, must not make a lone caller look like load.
   */
  private boolean execute(ClassificationModel model, List<BatchTask> batch, float[] buffer) {
    long start = System.nanoTime();
    List<BatchTask> live = new ArrayList<>(batch.size());
    List<BatchTask> expired = new ArrayList<>();
    int images = 0;
    for (BatchTask task : batch) {
      if (task.expired(start)) {
        expired.add(task);
        continue;
      }
      System.arraycopy(
          task.pixels(),
          0,
          buffer,
          images * model.inputLength(),
          task.images() * model.inputLength());
      images += task.images();
      live.add(task);
      queueTime.recordNanos(start - task.enqueuedNanoTime());
    }
    if (live.isEmpty()) {
      boolean leftWaiting = !queue.isEmpty();
      failExpired(model, expired);
      return leftWaiting;
    }
    float[][] logits;
    // A RuntimeException fails this batch; an Error goes on to run(), which fails the batch it held
    // and replaces the thread.
    try {
      logits = model.logits(buffer, config.paddedSize(images), priority);
    } catch (RuntimeException e) {
      boolean leftWaiting = !queue.isEmpty();
      failExpired(model, expired);
      completions.execute(() -> live.forEach(task -> task.result().completeExceptionally(e)));
      return leftWaiting;
    }
    boolean leftWaiting = !queue.isEmpty();
    failExpired(model, expired);
    long elapsed = System.nanoTime() - start;
    computeTime.recordNanos(elapsed);
    batchSize.record(images);
    averageBatchNanos = averageBatchNanos == 0 ? elapsed : 0.9 * averageBatchNanos + 0.1 * elapsed;
    // The batch thread goes straight back to the queue; responses are finished elsewhere.
    completions.execute(
        () -> {
          int row = 0;
          for (BatchTask task : live) {
            float[][] rows = new float[task.images()][];
            System.arraycopy(logits, row, rows, 0, task.images());
            row += task.images();
            task.result().complete(rows);
          }
        });
    return leftWaiting;
  }

  /** Fails requests whose deadline passed while queued, off the batch thread like every answer. */
  private void failExpired(ClassificationModel model, List<BatchTask> expired) {
    if (!expired.isEmpty()) {
      completions.execute(
          () ->
              expired.forEach(
                  task ->
                      task.result()
                          .completeExceptionally(
                              new DeadlineExpiredException(
                                  "deadline passed while queued for "
                                      + model.id()
                                      + "; not computed"))));
    }
  }
}
