package dev.swinserve.server.scheduling;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** One submitted call waiting in a batch queue: its images, its deadline, its result. */
record BatchTask(
    float[] pixels,
    int images,
    OptionalLong deadlineNanoTime,
    long enqueuedNanoTime,
    CompletableFuture<float[][]> result) {

  boolean expired(long now) {
    return deadlineNanoTime.isPresent() && now - deadlineNanoTime.getAsLong() > 0;
  }
}
