package dev.swinserve.server.logging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets one event of each kind through per window and counts the rest, so that a flood of the same
 * event costs one log line per window. Thread-safe. The number of kinds tracked is bounded: past
 * {@link #MAX_KINDS}, new kinds share one.
 */
public final class LogRateLimiter {

  /** Kinds come from a fixed set of log sites; the bound only guards against surprises. */
  public static final int MAX_KINDS = 256;

  static final String OTHER_KIND = "other";

  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new HashMap<>();

  private static final class Window {
    long startNanos;
    long suppressed;
  }

  /**
   * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
   */
  public LogRateLimiter(Duration window, LongSupplier nanoTime) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Whether an event of {@code kind} may be logged now.
   *
   * @return -1 if it is suppressed (and counted); otherwise how many of its kind were suppressed
   *     since the last one logged, for the line to say
   */
  public synchronized long admit(String kind) {
    long now = nanoTime.getAsLong();
    Window window = windows.get(kind);
    if (window == null && windows.size() >= MAX_KINDS) {
      kind = OTHER_KIND; // the one kind allowed past the bound
      window = windows.get(kind);
    }
    if (window == null) {
      window = new Window();
      windows.put(kind, window);
      window.startNanos = now;
      return 0;
    }
    if (now - window.startNanos < windowNanos) {
      window.suppressed++;
      return -1;
    }
    long suppressed = window.suppressed;
    window.startNanos = now;
    window.suppressed = 0;
    return suppressed;
  }
}
