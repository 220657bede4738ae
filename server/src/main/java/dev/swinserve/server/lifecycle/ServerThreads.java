package dev.swinserve.server.lifecycle;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the server's thread pools are made: each of {@link DaemonThreads daemon threads} named for
 * what it does, and each shut down when this component closes. Every component that asks for a pool
 * depends on this one, so it closes after all of them: work they leave queued still has its threads
 * while they stop.
 *
 * <p>Two kinds of pool, shut down two ways: {@link #workers workers} finish the tasks already
 * queued ({@link ExecutorService#shutdown()}), {@link #timer timers} drop the tasks not yet due
 * ({@link ExecutorService#shutdownNow()}). Neither is waited for. Thread-safe.
 */
@Singleton
public final class ServerThreads implements Managed {

  private final List<ExecutorService> workerPools = new ArrayList<>();
  private final List<ExecutorService> timerPools = new ArrayList<>();
  private boolean closed;

  /** Threads named {@code swinserve-<name>-<n>}, for threads that end on their own. */
  public ThreadFactory factory(String name) {
    return DaemonThreads.named(name);
  }

  /** {@code threads} threads with an unbounded queue. */
  public ExecutorService workers(String name, int threads) {
    return workers(name, threads, new LinkedBlockingQueue<>());
  }

  /**
   * {@code threads} threads with a queue of {@code queueCapacity} tasks; a task that finds it full
   * is rejected ({@link java.util.concurrent.RejectedExecutionException}).
   */
  public ExecutorService workers(String name, int threads, int queueCapacity) {
    return workers(name, threads, new ArrayBlockingQueue<>(queueCapacity));
  }

  private synchronized ExecutorService workers(
      String name, int threads, BlockingQueue<Runnable> queue) {
    requireOpen(name);
    ExecutorService pool =
        new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, queue, factory(name));
    workerPools.add(pool);
    return pool;
  }

  /** One thread that runs delayed and periodic tasks. */
  public synchronized ScheduledExecutorService timer(String name) {
    requireOpen(name);
    ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, factory(name));
    timerPools.add(timer);
    return timer;
  }

  private void requireOpen(String name) {
    if (closed) {
      throw new IllegalStateException(
          "cannot make the " + name + " threads: the server's threads are shut down");
    }
  }

  /** Shuts every pool down: timers at once, workers once their queued tasks ran. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    timerPools.forEach(ExecutorService::shutdownNow);
    workerPools.forEach(ExecutorService::shutdown);
  }
}
