package dev.swinserve.registry;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A servable that only counts what is done to it. */
final class FakeServable implements Servable {

  private final ModelVersionId id;
  private final Path directory;
  private final ModelConfig config;
  private final Runnable warmUp;
  private final AtomicInteger warmUps = new AtomicInteger();
  private final AtomicInteger closes = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);

  FakeServable(ModelVersionId id, Path directory, ModelConfig config, Runnable warmUp) {
    this.id = id;
    this.directory = directory;
    this.config = config;
    this.warmUp = warmUp;
  }

  ModelVersionId id() {
    return id;
  }

  Path directory() {
    return directory;
  }

  ModelConfig config() {
    return config;
  }

  int warmUps() {
    return warmUps.get();
  }

  int closes() {
    return closes.get();
  }

  boolean isClosed() {
    return closes.get() > 0;
  }

  /** Waits until closed; false if that did not happen within the timeout. */
  boolean awaitClosed() throws InterruptedException {
    return closed.await(10, TimeUnit.SECONDS);
  }

  @Override
  public void warmUp() {
    warmUps.incrementAndGet();
    warmUp.run();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    closed.countDown();
  }

  @Override
  public String toString() {
    return "FakeServable[" + id + "]";
  }
}
