package dev.swinserve.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The load generator's notion of elapsed time: it reads every timestamp (send times, answer times,
 * the timetable) and does every paced wait through this, so tests can run it on a fake clock.
 */
public interface Ticker {

  /** A monotonic reading in nanoseconds; only differences between readings mean anything. */
  long nanoTime();

  /**
   * Waits about {@code nanos} nanoseconds (returning early is allowed: callers re-read the time).
   */
  void sleepNanos(long nanos) throws InterruptedException;

  /** {@link System#nanoTime()}, waiting by parking the thread. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }

  /**
   * Parks rather than {@code Thread.sleep}s: the pacer needs sub-millisecond waits at high rates.
   */
  enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      LockSupport.parkNanos(nanos);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
