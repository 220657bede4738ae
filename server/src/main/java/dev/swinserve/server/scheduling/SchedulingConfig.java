package dev.swinserve.server.scheduling;

/**
 * @param computeThreads calls to the model that may run at once; on a CPU one call already uses
 *     every core through TensorFlow's intra-op threads, so 1 is the default
 * @param queueCapacity calls waiting for a compute thread before new ones are refused with
 *     RESOURCE_EXHAUSTED
 * @param preprocessThreads threads decoding and resizing images, off the model's critical path
 * @param preprocessQueueCapacity images waiting to be decoded before new ones are refused
 */
public record SchedulingConfig(int computeThreads, int queueCapacity, int preprocessThreads,
    int preprocessQueueCapacity) {

  public SchedulingConfig {
    if (computeThreads < 1 || queueCapacity < 1 || preprocessThreads < 1 || preprocessQueueCapacity < 1) {
      throw new IllegalArgumentException("scheduling: every thread count and capacity must be at least 1");
    }
  }

  public static SchedulingConfig defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new SchedulingConfig(1, 64, cores, 256);
  }
}
