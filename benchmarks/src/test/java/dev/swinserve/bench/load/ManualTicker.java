package dev.swinserve.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} whose time moves only when someone sleeps on it: a sleep returns at once, having
 * advanced the time by what was asked (plus a fixed oversleep, to play a sender that wakes up
 * late). Thread-safe.
 */
public final class ManualTicker implements Ticker {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final long oversleepNanos;
  private final AtomicLong sleeps = new AtomicLong();

  public ManualTicker() {
    this(Duration.ZERO);
  }

  private ManualTicker(Duration oversleep) {
    this.oversleepNanos = oversleep.toNanos();
  }

  /** A ticker whose every sleep takes {@code oversleep} longer than asked. */
  public static ManualTicker oversleeping(Duration oversleep) {
    return new ManualTicker(oversleep);
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public void sleepNanos(long duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    sleeps.incrementAndGet();
    nanos.addAndGet(Math.max(0, duration) + oversleepNanos);
    // Lets threads waiting on real events (answers) run, as a real sleep would.
    Thread.yield();
  }

  /** How many times anyone slept. */
  public long sleeps() {
    return sleeps.get();
  }
}
