package dev.swinserve.server.grpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells open streams that the server is shutting down, so they stop reading and finish what they
 * read; once the grace period is over, tells them to end at once. Thread-safe.
 */
public final class ShutdownDrain {

  /** A call that can finish its in-flight work and end. */
  interface Drainable {
    void drain();

    /** Ends now, with the requests still unanswered listed in the status. */
    void abort();
  }

  private final Set<Drainable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  /**
   * @return false if the server is already draining (the call should end at once)
   */
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

  /**
   * Ends every open stream now, listing its unanswered requests; for when the grace period is over.
   */
  public void abortAll() {
    draining = true;
    for (Drainable call : Set.copyOf(open)) {
      call.abort();
    }
  }
}
