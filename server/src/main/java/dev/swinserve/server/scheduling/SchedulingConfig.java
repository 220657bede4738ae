package dev.swinserve.server.scheduling;

import dev.swinserve.config.Range;

/**
 * The image decoding pool, shared by every model. (How model calls are queued and batched is {@link
 * BatchingConfig}, per model.) Immutable.
 *
 * @param preprocessThreads threads decoding and resizing images, off the model's critical path,
 *     1..1024
 * @param preprocessQueueCapacity images waiting to be decoded before new ones are refused,
 *     1..1,000,000
 */
public record SchedulingConfig(int preprocessThreads, int preprocessQueueCapacity) {

  public static final Range PREPROCESS_THREADS = new Range("preprocess_threads", 1, 1024);
  public static final Range PREPROCESS_QUEUE_CAPACITY =
      new Range("preprocess_queue_capacity", 1, 1_000_000);

  public SchedulingConfig {
    PREPROCESS_THREADS.check(preprocessThreads);
    PREPROCESS_QUEUE_CAPACITY.check(preprocessQueueCapacity);
  }

  /** One decoding thread per core; 256 images waiting. */
  public static SchedulingConfig defaults() {
    return new SchedulingConfig(Runtime.getRuntime().availableProcessors(), 256);
  }
}
