package dev.swinserve.server.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One bidirectional stream of requests each answered by one response, in any order (swinserve.v1's
 * {@code ClassifyStream}, the Open Inference Protocol's {@code ModelStreamInfer}), with flow
 * control in both directions: the server asks the transport for another request only while fewer
 * than {@code maxInFlight} are unanswered and the client is reading responses ({@code isReady}). A
 * client that stops reading therefore stops the server reading, and if it stays stalled past the
 * stall timeout the stream ends with RESOURCE_EXHAUSTED and is reset: the status alone would wait
 * behind the unread responses, which the client's closed flow-control window holds back, so only
 * RST_STREAM reaches it and frees the stream.
 *
 * <p>Every request the server read gets a response, also when the server shuts down: draining stops
 * reading, waits for the in-flight requests, then ends the stream with UNAVAILABLE so the client
 * resends whatever was not answered elsewhere. Only when the grace period is over ({@link #abort})
 * does it end with requests unanswered; a stream ended so lists their ids in its status details
 * ({@link UnansweredStatus}).
 *
 * <p>A front door gives the stream a {@link Handler} that starts each request's work and answers it
 * once; the stream does the rest. All state is guarded by {@code lock}; responses are sent under
 * it, which also serialises the non-thread-safe response observer.
 *
 * @param <RequestT> the request message
 * @param <ResponseT> the response message
 */
public final class StreamCall<RequestT, ResponseT>
    implements StreamObserver<RequestT>, ShutdownDrain.Drainable {

  /** Starts the work of one request a stream read. Must not block. */
  @FunctionalInterface
  public interface Handler<RequestT, ResponseT> {
    /**
     * @param answer takes the request's one response, on any thread; a request's failure is
     *     answered too, in the protocol's own way, so that the stream goes on
     */
    void handle(RequestT request, Answer<ResponseT> answer);
  }

  /** The response to one request; call it once. */
  @FunctionalInterface
  public interface Answer<ResponseT> {
    void send(ResponseT response);
  }

  private static final System.Logger LOG = System.getLogger(StreamCall.class.getName());

  private final String method;
  private final ServerCallStreamObserver<ResponseT> responses;
  private final StreamSettings settings;
  private final ShutdownDrain drain;
  private final Function<RequestT, String> requestId;
  private final Handler<RequestT, ResponseT> handler;
  private final Object lock = new Object();

  private int requested;
  private int inFlight;
  private boolean halfClosed;
  private boolean draining;
  private boolean finished;
  private ScheduledFuture<?> stallTimer;
  private final List<String> unanswered = new ArrayList<>();

  /** Resets this call's stream; empty if the server was built without {@link StreamResets}. */
  private final Optional<StreamResets.Reset> streamReset = StreamResets.current();

  /**
   * Starts serving a stream; call it from the service method that opens the stream, whose gRPC
   * context it reads, and return it as the request observer.
   *
   * @param door the stream's method, named in the log
   * @param requestId the id a client gave a request, listed in the status if it goes unanswered
   */
  public StreamCall(
      FrontDoor door,
      StreamObserver<ResponseT> responses,
      StreamSettings settings,
      ShutdownDrain drain,
      Function<RequestT, String> requestId,
      Handler<RequestT, ResponseT> handler) {
    this.method = door.method();
    this.responses = (ServerCallStreamObserver<ResponseT>) responses;
    this.settings = settings;
    this.drain = drain;
    this.requestId = requestId;
    this.handler = handler;
    this.responses.disableAutoRequest();
    this.responses.setOnReadyHandler(this::onReady);
    this.responses.setOnCancelHandler(this::onCancel);
    synchronized (lock) {
      draining = !drain.register(this);
      maybeFinish();
      requestMore();
    }
  }

  @Override
  public void onNext(RequestT request) {
    String id = requestId.apply(request);
    synchronized (lock) {
      requested--;
      if (finished) {
        return;
      }
      inFlight++;
      unanswered.add(id);
    }
    handler.handle(request, response -> answer(id, response));
  }

  @Override
  public void onError(Throwable error) {
    onCancel();
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      halfClosed = true;
      maybeFinish();
    }
  }

  @Override
  public void drain() {
    synchronized (lock) {
      draining = true;
      maybeFinish();
    }
  }

  @Override
  public void abort() {
    synchronized (lock) {
      if (!finished) {
        end(
            Status.UNAVAILABLE.withDescription(
                "server is shutting down and its grace period is over: "
                    + "resend the requests listed in the status details, and those it never read, to another server"));
      }
    }
  }

  private void answer(String id, ResponseT response) {
    synchronized (lock) {
      inFlight--;
      unanswered.remove(id);
      if (finished) {
        return;
      }
      responses.onNext(response);
      if (!responses.isReady()) {
        startStallTimer();
      }
      requestMore();
      maybeFinish();
    }
  }

  private void onReady() {
    synchronized (lock) {
      if (stallTimer != null) {
        stallTimer.cancel(false);
        stallTimer = null;
      }
      requestMore();
    }
  }

  private void onCancel() {
    synchronized (lock) {
      finished = true;
      stopStallTimer();
    }
    drain.unregister(this);
  }

  /** Lock held. */
  private void requestMore() {
    if (finished || draining || halfClosed || !responses.isReady()) {
      return;
    }
    int deficit = settings.maxInFlight() - inFlight - requested;
    if (deficit > 0) {
      requested += deficit;
      responses.request(deficit);
    }
  }

  /** Lock held. */
  private void maybeFinish() {
    if (finished || inFlight > 0 || !(halfClosed || draining)) {
      return;
    }
    if (halfClosed) {
      end(null);
    } else {
      end(
          Status.UNAVAILABLE.withDescription(
              "server is shutting down: every request it read was answered; "
                  + "send the rest to another server"));
    }
  }

  /** Lock held. */
  private void startStallTimer() {
    if (stallTimer == null) {
      long millis = settings.stallTimeout().toMillis();
      stallTimer = settings.timers().schedule(this::onStallTimeout, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void onStallTimeout() {
    synchronized (lock) {
      if (finished || responses.isReady()) {
        return;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "closing a "
              + method
              + " whose client stopped reading ("
              + inFlight
              + " requests in flight); resetting it, as its flow-control window is closed");
      end(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "the client read no response for "
                  + settings.stallTimeout().toMillis()
                  + " ms while the server had responses to send; stream closed"));
    }
    reset();
  }

  /**
   * Sends RST_STREAM, dropping the responses and the status still queued ({@link StreamResets}).
   * Not under the lock: the call's cancellation calls back into this call.
   */
  private void reset() {
    streamReset.ifPresent(
        reset ->
            reset.reset(
                "the client read no response for " + settings.stallTimeout().toMillis() + " ms"));
  }

  /** Lock held. A null status ends the stream normally. */
  private void end(Status status) {
    finished = true;
    stopStallTimer();
    if (status == null) {
      responses.onCompleted();
    } else {
      responses.onError(UnansweredStatus.withUnanswered(status, unanswered));
    }
    drain.unregister(this);
  }

  private void stopStallTimer() {
    if (stallTimer != null) {
      stallTimer.cancel(false);
      stallTimer = null;
    }
  }
}
