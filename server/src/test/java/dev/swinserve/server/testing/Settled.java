package dev.swinserve.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A measurement that takes a moment to settle, such as the threads left after TensorFlow joins them
 * or the resident size after a collection: read until two readings in a row agree.
 */
public final class Settled {

  /** One reading of what is measured. */
  @FunctionalInterface
  public interface Reading {
    long read() throws IOException;
  }

  private Settled() {}

  /**
   * Reads {@code reading} now and every {@code interval} until a reading differs from the one
   * before by less than {@code tolerance}.
   *
   * @return that reading, or the last one if none had settled within {@code atMost}
   */
  public static long value(Reading reading, long tolerance, Duration interval, Duration atMost)
      throws IOException {
    AtomicLong last = new AtomicLong(reading.read());
    try {
      await()
          .pollDelay(interval)
          .pollInterval(interval)
          .atMost(atMost)
          .until(
              () -> {
                long current = reading.read();
                return Math.abs(current - last.getAndSet(current)) < tolerance;
              });
    } catch (ConditionTimeoutException e) {
      // Still moving: the caller judges the last reading.
    }
    return last.get();
  }
}
