package dev.swinserve.server.lifecycle;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's one thread factory: daemon threads (none keeps the JVM alive; the lifecycle stops
 * their work) named {@code swinserve-<name>-<n>}, so thread dumps say what each thread is for.
 */
public final class DaemonThreads {

  /** What every thread name starts with. */
  public static final String PREFIX = "swinserve-";

  private DaemonThreads() {}

  /** Threads named {@code swinserve-<name>-1}, {@code -2}, ...; thread-safe. */
  public static ThreadFactory named(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, PREFIX + name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
