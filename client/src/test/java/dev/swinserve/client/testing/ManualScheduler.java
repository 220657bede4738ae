package dev.swinserve.client.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a {@link ManualClock}: nothing runs until a test {@link
 * #advance advances} time, and then every task that falls due runs on the test's thread, in due
 * order. {@link #execute} runs at once. Thread-safe; tasks run outside its lock.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private boolean shutdown;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  /** Moves the clock on by {@code duration}, running each task as its time comes. */
  public void advance(Duration duration) {
    Instant end = clock.instant().plus(duration);
    Task task;
    while ((task = nextDueBy(end)) != null) {
      if (task.due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), task.due));
      }
      task.command.run();
      synchronized (this) {
        if (task.period != null && !task.cancelled && !shutdown) {
          task.due = clock.instant().plus(task.period);
          tasks.add(task);
        }
      }
    }
    if (end.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), end));
    }
  }

  /** Tasks waiting to run (periodic ones count once). */
  public synchronized int pending() {
    return tasks.size();
  }

  private synchronized Task nextDueBy(Instant end) {
    Task next =
        tasks.stream()
            .filter(task -> !task.due.isAfter(end))
            .min(Comparator.comparing(task -> task.due))
            .orElse(null);
    tasks.remove(next);
    return next;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, delay, null, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, initialDelay, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, initialDelay, period, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the tests yet");
  }

  private synchronized Task add(Runnable command, long delay, Long period, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task task =
        new Task(
            command,
            clock.instant().plusNanos(unit.toNanos(delay)),
            period == null ? null : Duration.ofNanos(unit.toNanos(period)));
    tasks.add(task);
    return task;
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    tasks.clear();
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return isShutdown();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final Duration period;
    volatile Instant due;
    volatile boolean cancelled;

    Task(Runnable command, Instant due, Duration period) {
      this.command = command;
      this.due = due;
      this.period = period;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualScheduler.this) {
        cancelled = true;
        return tasks.remove(this);
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("a manual task has no result");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("a manual task has no result");
    }
  }
}
