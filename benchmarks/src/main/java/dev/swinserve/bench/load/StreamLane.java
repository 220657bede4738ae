package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.bench.load.Phases.Phase;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ClassifyStream} call that keeps at most {@code window} requests unanswered, pairing
 * answers with requests by {@code request_id}.
 *
 * <p>Self-driven (closed loop), it sends whenever it has room and the transport is ready, asking
 * {@link Phases} what each request is, and half-closes once the answer is STOP. Otherwise (open
 * loop) it sends only what {@link #trySend} hands it. A stream that fails is not reopened: its
 * unanswered requests count as failed with the stream's status. Thread-safe: gRPC callbacks, the
 * pacer and the watchdog may call at once, so all state is guarded by {@code this}.
 */
final class StreamLane implements ClientResponseObserver<ClassifyRequest, ClassifyResponse> {

  private final RunContext run;
  private final int window;
  private final boolean selfDriven;
  private final CountDownLatch readyOrEnded = new CountDownLatch(1);

  // Guarded by this. Insertion order is send order, so the first entry is the oldest.
  private final Map<String, Sent> unanswered = new LinkedHashMap<>();
  private ClientCallStreamObserver<ClassifyRequest> requests;
  private long nextRequestId;
  private boolean halfClosed;
  private boolean ended;

  private record Sent(Phase phase, long startNanos, int images) {}

  private StreamLane(RunContext run, int window, boolean selfDriven) {
    this.run = run;
    this.window = window;
    this.selfDriven = selfDriven;
  }

  /** Starts a stream on {@code run}'s channel; self-driven lanes start sending once it is ready. */
  static StreamLane open(RunContext run, int window, boolean selfDriven) {
    StreamLane lane = new StreamLane(run, window, selfDriven);
    ClassifierGrpc.newStub(run.channel()).classifyStream(lane);
    return lane;
  }

  @Override
  public synchronized void beforeStart(ClientCallStreamObserver<ClassifyRequest> stream) {
    requests = stream;
    // gRPC calls this once the call can take its first message, and again whenever it drains.
    stream.setOnReadyHandler(
        () -> {
          readyOrEnded.countDown();
          fill();
        });
  }

  /**
   * Waits, for at most {@code timeout} of real time, until the stream could first take a request or
   * has ended; returns whether it did. An open loop waits for this so that setting up the streams
   * does not drop the first requests.
   */
  boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
    return readyOrEnded.await(timeout, unit);
  }

  /**
   * Open loop: sends one request as part of {@code phase}, timed from {@code scheduledNanos}, if
   * this stream has fewer than {@code window} unanswered; returns whether it did. The caller has
   * already counted it in {@link RunContext#outstanding()}.
   *
   * <p>Unlike the closed loop this does not wait for the transport to be ready: a request larger
   * than gRPC's ready threshold (a pixel tensor is) makes the stream unready until it is written,
   * and dropping every request due meanwhile would measure the client, not the server. The window
   * still bounds what gRPC buffers.
   */
  synchronized boolean trySend(Phase phase, long scheduledNanos) {
    if (ended || halfClosed || unanswered.size() >= window) {
      return false;
    }
    send(phase, scheduledNanos);
    return true;
  }

  @Override
  public synchronized void onNext(ClassifyResponse response) {
    Sent sent = unanswered.remove(response.getRequestId());
    if (sent == null) {
      abort(
          Status.INTERNAL.withDescription(
              "server answered unknown or already answered request_id '"
                  + response.getRequestId()
                  + "'"));
      return;
    }
    answered(sent, Answers.status(response, sent.images()));
    fill();
  }

  @Override
  public synchronized void onError(Throwable error) {
    end(Status.fromThrowable(error));
  }

  @Override
  public synchronized void onCompleted() {
    end(Status.INTERNAL.withDescription("server ended the stream with the request unanswered"));
  }

  /** Sends nothing more; the server answers what it has, then ends the stream. */
  synchronized void halfClose() {
    if (!ended && !halfClosed && requests != null) {
      halfClosed = true;
      requests.onCompleted();
    }
  }

  /**
   * Cancels the stream if a request has been unanswered for longer than the deadline at {@code
   * nowNanos}: a stream has no per-request deadline of its own.
   */
  synchronized void cancelIfOverdue(long nowNanos) {
    Iterator<Sent> oldest = unanswered.values().iterator();
    if (!ended
        && oldest.hasNext()
        && nowNanos - oldest.next().startNanos() > run.deadline().toNanos()) {
      abort(
          Status.DEADLINE_EXCEEDED.withDescription(
              "stream request unanswered after " + run.deadline()));
    }
  }

  /** Whether the stream has ended, every request it sent answered or counted as failed. */
  synchronized boolean ended() {
    return ended;
  }

  private synchronized void fill() {
    while (selfDriven
        && !ended
        && !halfClosed
        && unanswered.size() < window
        && requests.isReady()) {
      long now = run.ticker().nanoTime();
      Phase phase = run.phases().admit(now);
      if (phase == Phase.STOP) {
        halfClose();
        return;
      }
      run.outstanding().acquire();
      send(phase, now);
    }
  }

  private void send(Phase phase, long startNanos) {
    String requestId = Long.toString(nextRequestId++);
    ClassifyRequest request = run.source().next(requestId);
    unanswered.put(requestId, new Sent(phase, startNanos, request.getImagesCount()));
    requests.onNext(request);
  }

  /**
   * Fails what is unanswered with {@code status} first, then cancels: gRPC's CANCELLED comes later.
   */
  private void abort(Status status) {
    end(status);
    requests.cancel(status.getDescription(), status.asRuntimeException());
  }

  private void end(Status status) {
    if (ended) {
      return;
    }
    ended = true;
    readyOrEnded.countDown();
    unanswered.values().forEach(sent -> answered(sent, status));
    unanswered.clear();
  }

  private void answered(Sent sent, Status status) {
    run.results()
        .answered(sent.phase(), sent.startNanos(), run.ticker().nanoTime(), sent.images(), status);
    run.outstanding().release();
  }
}
