package dev.swinserve.registry;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a thread at a point until a test opens it, and lets the test see that it got there. */
final class Gate {

  private static final long TIMEOUT_SECONDS = 20;

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch opened = new CountDownLatch(1);

  /** Called by the held thread. */
  void pass() {
    entered.countDown();
    try {
      if (!opened.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    }
  }

  /** Waits until a thread is held here; false on timeout. */
  boolean awaitEntered() throws InterruptedException {
    return entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  void open() {
    opened.countDown();
  }
}
