package dev.swinserve.bench.load;

import dev.swinserve.bench.load.Phases.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The closed loop: {@code concurrency} unary callers, each sending its next request when the
 * previous one is answered, or {@code concurrency} self-driven streams each keeping {@code
 * inFlight} requests unanswered. Load follows the server's pace, so this measures throughput at a
 * fixed concurrency; latency counts from the actual send. A unary caller whose call found no server
 * waits before its next ({@link ConnectionBackoff}); a stream that fails is not reopened.
 */
final class ClosedLoop {

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final RunContext run;
  private final LoadSpec spec;

  /** Unary callers backing off, resumed by the polling loop once their wait is over. */
  private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();

  private record Waiting(long untilNanos, Runnable next) {}

  ClosedLoop(RunContext run, LoadSpec spec) {
    this.run = run;
    this.spec = spec;
  }

  /** Runs until every caller or stream has stopped and been answered. */
  void run() throws InterruptedException {
    List<StreamLane> lanes = new ArrayList<>();
    CountDownLatch callers =
        new CountDownLatch(spec.mode() == LoadMode.UNARY ? spec.concurrency() : 0);
    if (spec.mode() == LoadMode.UNARY) {
      UnarySender sender = new UnarySender(run);
      for (int caller = 0; caller < spec.concurrency(); caller++) {
        callNext(sender, callers, new ConnectionBackoff());
      }
    } else {
      for (int stream = 0; stream < spec.concurrency(); stream++) {
        lanes.add(StreamLane.open(run, spec.inFlight(), true));
      }
    }
    try {
      // Polls on the run's ticker rather than blocking, so a fake ticker moves the run along.
      while (callers.getCount() > 0 || !lanes.stream().allMatch(StreamLane::ended)) {
        long now = run.ticker().nanoTime();
        resumeWaitingCallers(now);
        lanes.forEach(lane -> lane.cancelIfOverdue(now));
        if (run.phases().over(now)) {
          // A stream only asks for more work when answered; a server that answers in groups may
          // wait for the end of input first, so tell every stream the input has ended.
          lanes.forEach(StreamLane::halfClose);
        }
        run.ticker().sleepNanos(POLL_NANOS);
      }
    } catch (InterruptedException e) {
      run.phases().stop();
      lanes.forEach(StreamLane::halfClose);
      throw e;
    }
  }

  /**
   * One caller's next request, sent from the previous answer's callback; a caller stops (and counts
   * {@code callers} down) at the first STOP. Answers arrive on gRPC's executor, never inside the
   * send, so this does not recurse.
   */
  private void callNext(UnarySender sender, CountDownLatch callers, ConnectionBackoff backoff) {
    long now = run.ticker().nanoTime();
    Phase phase = run.phases().admit(now);
    if (phase == Phase.STOP) {
      callers.countDown();
      return;
    }
    run.outstanding().acquire();
    sender.send(
        phase,
        now,
        outcome -> {
          long waitNanos = backoff.after(outcome);
          if (waitNanos == 0) {
            callNext(sender, callers, backoff);
          } else {
            waiting.add(
                new Waiting(
                    run.ticker().nanoTime() + waitNanos, () -> callNext(sender, callers, backoff)));
          }
        });
  }

  /**
   * Polling thread: calls on behalf of every backing-off caller whose wait is over at {@code now}.
   */
  private void resumeWaitingCallers(long now) {
    for (int left = waiting.size(); left > 0; left--) {
      Waiting caller = waiting.poll();
      if (caller == null) {
        return;
      }
      if (now - caller.untilNanos() >= 0) {
        caller.next().run();
      } else {
        waiting.add(caller);
      }
    }
  }
}
