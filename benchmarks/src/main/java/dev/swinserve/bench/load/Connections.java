package dev.swinserve.bench.load;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Connects a channel before a run starts, so that connecting is not measured as latency. */
final class Connections {

  private Connections() {}

  /**
   * Asks {@code channel} to connect and waits, for at most {@code timeout} of real time, until it
   * is READY or has failed to connect; returns the state it reached. A failure is not thrown: the
   * run's requests will fail and be counted, which is the report a user needs.
   */
  static ConnectivityState connect(ManagedChannel channel, Duration timeout)
      throws InterruptedException {
    CountDownLatch settled = new CountDownLatch(1);
    follow(channel, channel.getState(true), settled);
    settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return channel.getState(false);
  }

  private static void follow(
      ManagedChannel channel, ConnectivityState state, CountDownLatch settled) {
    if (state == ConnectivityState.READY
        || state == ConnectivityState.TRANSIENT_FAILURE
        || state == ConnectivityState.SHUTDOWN) {
      settled.countDown();
      return;
    }
    channel.notifyWhenStateChanged(state, () -> follow(channel, channel.getState(true), settled));
  }
}
