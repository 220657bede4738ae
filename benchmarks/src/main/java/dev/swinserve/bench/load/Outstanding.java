package dev.swinserve.bench.load;

/**
 * Counts requests sent and not yet answered, warm-up ones included: the open loop's bound, and what
 * the end of a run waits for. Thread-safe.
 */
final class Outstanding {

  // Guarded by this.
  private int count;

  /**
   * Counts one more request unless {@code limit} are already outstanding; returns whether it did.
   */
  synchronized boolean tryAcquire(int limit) {
    if (count >= limit) {
      return false;
    }
    count++;
    return true;
  }

  /** Counts one more request, whatever the count. */
  synchronized void acquire() {
    count++;
  }

  /** One request was answered (or given up on). */
  synchronized void release() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  synchronized int count() {
    return count;
  }

  /**
   * Waits until nothing is outstanding, for at most {@code timeoutMillis} of real time (this is
   * waiting for answers, not measuring); returns whether nothing is.
   */
  synchronized boolean awaitNone(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (count > 0) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
