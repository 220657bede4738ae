package dev.swinserve.bench.load;

import dev.swinserve.bench.load.Phases.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The open loop: request {@code i} is due at {@code start + i / rate}, whatever the server does. A
 * pacer that falls behind sends back to back until it catches up, and every latency counts from the
 * due time, so neither a slow sender nor a slow server can hide queueing (no coordinated omission).
 * A due request that finds {@code maxOutstanding} unanswered, or every stream at {@code inFlight},
 * is dropped and counted rather than queued.
 */
final class OpenLoop {

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long POLL_MILLIS = TimeUnit.NANOSECONDS.toMillis(POLL_NANOS);

  private final RunContext run;
  private final LoadSpec spec;
  private final List<StreamLane> lanes = new ArrayList<>();
  private UnarySender unary;
  private int nextLane;
  private long lastWatchNanos;

  OpenLoop(RunContext run, LoadSpec spec) {
    this.run = run;
    this.spec = spec;
  }

  /**
   * Opens the streams, if any, then paces requests from when they are ready until the phases say
   * STOP, and waits for every answer.
   */
  void run() throws InterruptedException {
    try {
      if (spec.mode() == LoadMode.UNARY) {
        unary = new UnarySender(run);
      } else {
        for (int stream = 0; stream < spec.concurrency(); stream++) {
          lanes.add(StreamLane.open(run, spec.inFlight(), false));
        }
        for (StreamLane lane : lanes) {
          lane.awaitReady(run.deadline().toNanos(), TimeUnit.NANOSECONDS);
        }
      }
      // The timetable starts now, the phases when the run did: connecting eats into the warm-up.
      long startNanos = run.ticker().nanoTime();
      pace(startNanos);
      lanes.forEach(StreamLane::halfClose);
      while (!run.outstanding().awaitNone(POLL_MILLIS)
          || !lanes.stream().allMatch(StreamLane::ended)) {
        watch(run.ticker().nanoTime());
      }
    } catch (InterruptedException e) {
      run.phases().stop();
      lanes.forEach(StreamLane::halfClose);
      throw e;
    }
  }

  private void pace(long startNanos) throws InterruptedException {
    double intervalNanos = 1e9 / spec.ratePerSecond();
    lastWatchNanos = startNanos;
    for (long index = 0; ; index++) {
      long due = startNanos + (long) (index * intervalNanos);
      Phase phase = run.phases().admit(due);
      if (phase == Phase.STOP) {
        return;
      }
      waitUntil(due);
      if (!dispatch(phase, due)) {
        run.results().dropped(phase);
      }
    }
  }

  private void waitUntil(long dueNanos) throws InterruptedException {
    long now = run.ticker().nanoTime();
    watch(now);
    while (dueNanos - now > 0) {
      run.ticker().sleepNanos(Math.min(dueNanos - now, POLL_NANOS));
      now = run.ticker().nanoTime();
      watch(now);
    }
  }

  private boolean dispatch(Phase phase, long dueNanos) {
    if (!run.outstanding().tryAcquire(spec.maxOutstanding())) {
      return false;
    }
    if (unary != null) {
      unary.send(phase, dueNanos, outcome -> {});
      return true;
    }
    // Round robin from where the last request went, skipping streams that are full.
    for (int tried = 0; tried < lanes.size(); tried++) {
      StreamLane lane = lanes.get(nextLane);
      nextLane = (nextLane + 1) % lanes.size();
      if (lane.trySend(phase, dueNanos)) {
        return true;
      }
    }
    run.outstanding().release();
    return false;
  }

  /** Cancels overdue streams, at most once per poll interval (the pacer may pass here often). */
  private void watch(long nowNanos) {
    if (nowNanos - lastWatchNanos >= POLL_NANOS) {
      lastWatchNanos = nowNanos;
      lanes.forEach(lane -> lane.cancelIfOverdue(nowNanos));
    }
  }
}
