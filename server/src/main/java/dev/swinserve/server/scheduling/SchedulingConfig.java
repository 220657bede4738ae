package dev.swinserve.server.scheduling;

/**
 * The image decoding pool, shared by every model. (How model calls are queued and batched is
 * {@link BatchingConfig}, per model.)
 *
 * @param preprocessThreads threads decoding and resizing images, off the model's critical path
 * @param preprocessQueueCapacity images waiting to be decoded before new ones are refused
 */
public record SchedulingConfig(int preprocessThreads, int preprocessQueueCapacity) {

  public SchedulingConfig {
    if (preprocessThreads < 1 || preprocessQueueCapacity < 1) {
      throw new IllegalArgumentException("scheduling: preprocess_threads and preprocess_queue_capacity must be at least 1");
    }
  }

  /** One decoding thread per core. */
  public static SchedulingConfig defaults() {
    return new SchedulingConfig(Runtime.getRuntime().availableProcessors(), 256);
  }
}
