package dev.swinserve.converter.hub;

import java.time.Duration;

/**
 * Waits between download attempts. Injected so that tests of the retry policy neither wait nor
 * depend on timing; production uses {@link #SYSTEM}.
 */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps on the calling thread. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /** Returns after {@code duration}, or throws if the thread is interrupted meanwhile. */
  void sleep(Duration duration) throws InterruptedException;
}
