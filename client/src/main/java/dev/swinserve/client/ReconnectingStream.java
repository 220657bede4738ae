package dev.swinserve.client;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.client.resilience.BreakerPermit;
import dev.swinserve.client.resilience.ResilienceFactory;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.grpc.CallCredentials;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@code ClassifyStream} that outlives broken streams. Requests go out only while fewer than
 * {@code maxInFlight} are unanswered and the transport is ready (back-pressure: the request
 * iterator is read no faster than the server answers). Every unanswered request is kept by its
 * {@code request_id}; when the stream breaks with a retryable status (or the server ends it with
 * requests unanswered), a new stream is opened after a backoff, the unanswered requests are sent
 * again, and sending goes on. A response is delivered only if its request is still unanswered, so
 * no result is delivered twice, and the stream only ends cleanly once every request has been
 * answered, so none is lost. Request ids must be non-empty and unique among unanswered requests.
 * The ids a server lists in a stream's status details ({@code UnansweredRequests}) are always among
 * these, so the client resends from its own record and does not read them.
 *
 * <p>Each stream attempt asks its endpoint's breaker first, as a unary attempt does: endpoints
 * whose breaker is open are passed over while another admits streams; when the picked one refuses
 * anyway, a new stream fails at once with UNAVAILABLE (the breaker's message), and a reconnection
 * counts as one that failed with that status (so it waits its backoff and tries again, within the
 * budget and attempt limit). The attempt's outcome goes to that breaker once, through its {@link
 * BreakerPermit}: its first answer, or a normal end, is a success, which is reported early so a
 * long-lived stream does not hold a half-open breaker's probe; a break before any answer is judged
 * as a unary failure is (server-unwell statuses count, caller mistakes are answered calls,
 * cancellations count nothing). Outcomes carry no duration, so a stream is never a slow call (see
 * {@link BreakerPermit}).
 *
 * <p>One lock guards the state; callbacks of a superseded stream are ignored. {@code onResponse}
 * runs outside the lock, one response at a time.
 */
final class ReconnectingStream {

  private final Iterator<ClassifyRequest> requests;
  private final int maxInFlight;
  private final Consumer<ClassifyResponse> onResponse;
  private final Supplier<Endpoints.Endpoint> endpoints;
  private final Deadline deadline;
  private final ResilienceFactory resilience;
  private final ScheduledExecutorService scheduler;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Object lock = new Object();

  // Guarded by lock.
  private final Map<String, ClassifyRequest> unanswered = new LinkedHashMap<>();
  private Attempt current;
  private int failedInARow;
  private boolean inputExhausted;
  private boolean finished;
  private RuntimeException failure;

  /** The caller's bearer token, or null. */
  private final CallCredentials credentials;

  ReconnectingStream(
      Iterator<ClassifyRequest> requests,
      int maxInFlight,
      Consumer<ClassifyResponse> onResponse,
      Supplier<Endpoints.Endpoint> endpoints,
      Deadline deadline,
      ResilienceFactory resilience,
      ScheduledExecutorService scheduler,
      CallCredentials credentials) {
    this.credentials = credentials;
    this.requests = requests;
    this.maxInFlight = maxInFlight;
    this.onResponse = onResponse;
    this.endpoints = endpoints;
    this.deadline = deadline;
    this.resilience = resilience;
    this.scheduler = scheduler;
  }

  /**
   * Opens the first stream, then blocks until every request is answered or the stream failed for
   * good.
   */
  void run() throws InterruptedException {
    resilience.budget().recordCall();
    open(false);
    try {
      done.await();
    } catch (InterruptedException e) {
      fail(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
      throw e;
    }
    synchronized (lock) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * Starts a stream, on an endpoint whose breaker admits it, that first sends every unanswered
   * request again. The breaker is asked outside the lock: its listener may run.
   */
  private void open(boolean reconnection) {
    synchronized (lock) {
      if (finished) {
        return;
      }
    }
    Endpoints.Endpoint endpoint = endpoints.get();
    BreakerPermit permit;
    try {
      permit = endpoint.guard().acquire();
    } catch (CallNotPermittedException refused) {
      RuntimeException cause =
          Status.UNAVAILABLE
              .withDescription(refused.getMessage())
              .withCause(refused)
              .asRuntimeException();
      synchronized (lock) {
        if (finished) {
          return;
        }
        if (reconnection) {
          broken(cause);
        } else {
          finish(cause);
        }
      }
      return;
    }
    synchronized (lock) {
      if (finished) {
        permit.release();
        return;
      }
      Attempt attempt = new Attempt(permit);
      current = attempt;
      try {
        ClassifierGrpc.newStub(endpoint.channel())
            .withDeadline(deadline)
            .withCallCredentials(credentials)
            .classifyStream(attempt);
      } catch (RuntimeException e) {
        permit.release();
        finish(e);
      }
    }
  }

  /**
   * A stream ended without answering everything, or a reconnection was refused: reconnect if
   * allowed, else fail with {@code cause}. Holds lock.
   */
  private void broken(RuntimeException cause) {
    Optional<Duration> wait = resilience.reconnectWait(cause, failedInARow, deadline);
    if (wait.isEmpty()) {
      finish(cause);
      return;
    }
    failedInARow++;
    current = null;
    try {
      scheduler.schedule(() -> open(true), wait.get().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException clientClosed) {
      finish(cause);
    }
  }

  /** Holds lock. */
  private void finish(RuntimeException cause) {
    if (!finished) {
      finished = true;
      failure = cause;
      done.countDown();
    }
  }

  /** Ends the whole stream with {@code cause}, cancelling the open call. */
  private void fail(RuntimeException cause) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finish(cause);
      if (current != null && !current.ended) {
        current.ended = true;
        current.requestStream.cancel("classifyStream aborted by the client", cause);
      }
    }
  }

  /** One stream over the transport. */
  private final class Attempt implements ClientResponseObserver<ClassifyRequest, ClassifyResponse> {

    private final BreakerPermit permit;
    // Guarded by lock.
    private final Queue<ClassifyRequest> toResend = new ArrayDeque<>(unanswered.values());
    private ClientCallStreamObserver<ClassifyRequest> requestStream;
    private boolean halfClosed;
    private boolean ended;

    /** Created under lock. */
    Attempt(BreakerPermit permit) {
      this.permit = permit;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ClassifyRequest> stream) {
      synchronized (lock) {
        requestStream = stream;
      }
      stream.setOnReadyHandler(this::send);
    }

    @Override
    public void onNext(ClassifyResponse response) {
      permit.succeeded();
      synchronized (lock) {
        if (current != this || finished || unanswered.remove(response.getRequestId()) == null) {
          return; // superseded, or already delivered (a duplicate after a reconnection)
        }
        failedInARow = 0;
      }
      try {
        onResponse.accept(response);
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      send();
    }

    @Override
    public void onError(Throwable error) {
      permit.failed(error);
      synchronized (lock) {
        if (current != this || finished) {
          return;
        }
        ended = true;
        broken(
            error instanceof RuntimeException runtime
                ? runtime
                : Status.fromThrowable(error).asRuntimeException());
      }
    }

    @Override
    public void onCompleted() {
      permit.succeeded();
      synchronized (lock) {
        if (current != this || finished) {
          return;
        }
        ended = true;
        if (unanswered.isEmpty() && inputExhausted) {
          finish(null);
        } else {
          broken(
              Status.UNAVAILABLE
                  .withDescription(
                      "server ended the stream with "
                          + unanswered.size()
                          + " request(s) unanswered")
                  .asRuntimeException());
        }
      }
    }

    /** Sends what flow control allows: first the requests to resend, then new ones. */
    private void send() {
      synchronized (lock) {
        try {
          while (current == this && !finished && !ended && !halfClosed) {
            if (!toResend.isEmpty()) {
              if (!requestStream.isReady()) {
                return;
              }
              ClassifyRequest again = toResend.poll();
              if (unanswered.containsKey(again.getRequestId())) {
                requestStream.onNext(again);
              }
            } else if (inputExhausted || !requests.hasNext()) {
              inputExhausted = true;
              halfClosed = true;
              requestStream.onCompleted();
            } else if (unanswered.size() < maxInFlight && requestStream.isReady()) {
              ClassifyRequest request = requests.next();
              String id = request.getRequestId();
              if (id.isEmpty() || unanswered.containsKey(id)) {
                throw new IllegalArgumentException(
                    "a resumable stream needs a unique, non-empty request_id; got '" + id + "'");
              }
              unanswered.put(id, request);
              requestStream.onNext(request);
            } else {
              return;
            }
          }
        } catch (RuntimeException e) {
          fail(e);
        }
      }
    }
  }
}
