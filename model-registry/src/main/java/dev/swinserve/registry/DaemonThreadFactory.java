package dev.swinserve.registry;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads, so the registry never keeps a JVM alive and shows up clearly in dumps. Only
 * for a registry used on its own: the registry cannot depend on the server, so the server passes
 * its own factory in (see {@link ModelRegistry#ModelRegistry(RegistryConfig, ModelLoader,
 * java.time.Clock, java.util.function.Function)}).
 */
final class DaemonThreadFactory implements ThreadFactory {

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  DaemonThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
