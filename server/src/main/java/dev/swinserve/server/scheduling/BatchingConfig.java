package dev.swinserve.server.scheduling;

import dev.swinserve.config.ConfigValueException;
import dev.swinserve.config.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Dynamic batching of one model version: requests that arrive within {@code maxQueueDelay} of the
 * first waiting one are run together, up to {@code maxBatchSize} images, padded up to the nearest
 * allowed size (the sizes warm-up ran, so the runtime never meets a new shape). Immutable. The
 * scheduler's own options, which the model runtime never sees (as TensorFlow Serving's batching
 * session wraps a session): the server's defaults come from the {@code runtime.batching} section of
 * its config, and a model's {@code model.yaml} {@code runtime: {batching: ...}} overrides them
 * (both bound by the server config package's {@code RuntimeSection}).
 *
 * @param maxBatchSize images run together at most, 1..1024
 * @param allowedBatchSizes ascending; the last is {@code maxBatchSize}
 * @param maxQueueDelay how long the first request of a batch waits for company, 0..10 s
 * @param maxQueueSize requests waiting per version, 1..100,000; a full queue answers
 *     RESOURCE_EXHAUSTED
 * @param batchThreads batches of this version computed at once, 1..64
 */
public record BatchingConfig(
    int maxBatchSize,
    List<Integer> allowedBatchSizes,
    Duration maxQueueDelay,
    int maxQueueSize,
    int batchThreads) {

  /** The largest batch any version may run; also bounds warm-up batch sizes. */
  public static final int MAX_BATCH_SIZE_LIMIT = 1024;

  public static final Range MAX_BATCH_SIZE = new Range("max_batch_size", 1, MAX_BATCH_SIZE_LIMIT);

  /** A batch's first request waits at most this long for company. */
  public static final Range MAX_QUEUE_DELAY_MILLIS = new Range("max_queue_delay_ms", 0, 10_000);

  /** The queue is an array of this many slots, allocated when the version first serves. */
  public static final Range MAX_QUEUE_SIZE = new Range("max_queue_size", 1, 100_000);

  public static final Range BATCH_THREADS = new Range("batch_threads", 1, 64);

  public BatchingConfig {
    allowedBatchSizes = List.copyOf(allowedBatchSizes);
    MAX_BATCH_SIZE.check(maxBatchSize);
    MAX_QUEUE_DELAY_MILLIS.checkMillis(maxQueueDelay);
    MAX_QUEUE_SIZE.check(maxQueueSize);
    BATCH_THREADS.check(batchThreads);
    if (allowedBatchSizes.isEmpty()
        || allowedBatchSizes.get(allowedBatchSizes.size() - 1) != maxBatchSize
        || !new ArrayList<>(new TreeSet<>(allowedBatchSizes)).equals(allowedBatchSizes)
        || allowedBatchSizes.get(0) < 1) {
      throw new ConfigValueException(
          "allowed_batch_sizes",
          allowedBatchSizes
              + " must be ascending positive sizes ending with max_batch_size "
              + maxBatchSize);
    }
  }

  /** Good on a 2-core CPU: batches of up to 8, 2 ms of waiting for company, one batch at a time. */
  public static BatchingConfig defaults() {
    return new BatchingConfig(8, List.of(1, 2, 4, 8), Duration.ofMillis(2), 128, 1);
  }

  /** Every request runs alone, as soon as a batch thread is free. */
  public BatchingConfig disabled() {
    return new BatchingConfig(1, List.of(1), Duration.ZERO, maxQueueSize, batchThreads);
  }

  /** How long background work waits for company at least: it is in no hurry. */
  public static final Duration BACKGROUND_QUEUE_DELAY = Duration.ofMillis(50);

  /**
   * This configuration for background work (shadow copies): one batch thread, so background batches
   * never run side by side, and at least {@link #BACKGROUND_QUEUE_DELAY} of waiting for company, so
   * they run as few, large batches.
   */
  public BatchingConfig forBackground() {
    Duration delay =
        maxQueueDelay.compareTo(BACKGROUND_QUEUE_DELAY) > 0
            ? maxQueueDelay
            : BACKGROUND_QUEUE_DELAY;
    return new BatchingConfig(maxBatchSize, allowedBatchSizes, delay, maxQueueSize, 1);
  }

  public boolean enabled() {
    return maxBatchSize > 1;
  }

  /** The smallest allowed batch size that holds {@code images} (at most {@code maxBatchSize}). */
  public int paddedSize(int images) {
    for (int size : allowedBatchSizes) {
      if (size >= images) {
        return size;
      }
    }
    throw new IllegalArgumentException(images + " images exceed max_batch_size " + maxBatchSize);
  }

  /**
   * The batch sizes a version must be warmed at: {@code warmUpBatchSizes} and each size batches may
   * be padded to, so no call meets a shape the session has not run.
   */
  public List<Integer> warmUpBatchSizes(List<Integer> warmUpBatchSizes) {
    TreeSet<Integer> sizes = new TreeSet<>(warmUpBatchSizes);
    sizes.addAll(allowedBatchSizes);
    return List.copyOf(sizes);
  }

  /** 1, 2, 4, ... up to and including {@code max}: at most 32 sizes, whatever {@code max}. */
  public static List<Integer> powersOfTwoUpTo(int max) {
    List<Integer> sizes = new ArrayList<>();
    // A long: an int doubling past 2^30 overflows to 0 and never reaches max, filling the heap.
    for (long size = 1; size < max; size *= 2) {
      sizes.add((int) size);
    }
    sizes.add(max);
    return sizes;
  }
}
