package dev.swinserve.server.grpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells open streams that the server is shutting down, so they stop reading and finish what they
 * read. Thread-safe.
 */
public final class ShutdownDrain {

  /** A call that can finish its in-flight work and end. */
  interface Drainable {
    void drain();
  }

  private final Set<Drainable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  /** @return false if the server is already draining (the call should end at once) */
  boolean register(Drainable call) {
    open.add(call);
    return !draining;
  }

  void unregister(Drainable call) {
    open.remove(call);
  }

  /** Asks every open stream to finish; new streams end at once. */
  public void drainAll() {
    draining = true;
    for (Drainable call : Set.copyOf(open)) {
      call.drain();
    }
  }
}
