package dev.swinserve.client;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One {@code ClassifyStream} call with client-side flow control: a request goes out only while
 * fewer than {@code maxInFlight} are unanswered and the transport is ready, so a slow server
 * holds back the client instead of both sides queueing the whole input.
 *
 * <p>gRPC runs the callbacks one at a time, but {@link #await()} may cancel from the caller's
 * thread, so the request side is still guarded by a lock.
 */
final class StreamingClassification implements ClientResponseObserver<ClassifyRequest, ClassifyResponse> {

  private final Iterator<ClassifyRequest> requests;
  private final int maxInFlight;
  private final Consumer<ClassifyResponse> onResponse;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Object lock = new Object();

  // Guarded by lock.
  private ClientCallStreamObserver<ClassifyRequest> requestStream;
  private int inFlight;
  private boolean halfClosed;
  private boolean ended;
  private RuntimeException failure;

  StreamingClassification(Iterator<ClassifyRequest> requests, int maxInFlight,
      Consumer<ClassifyResponse> onResponse) {
    this.requests = requests;
    this.maxInFlight = maxInFlight;
    this.onResponse = onResponse;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ClassifyRequest> stream) {
    synchronized (lock) {
      requestStream = stream;
    }
    // gRPC calls this once the call can take its first message, and again whenever it drains.
    stream.setOnReadyHandler(this::sendWhatIsAllowed);
  }

  @Override
  public void onNext(ClassifyResponse response) {
    synchronized (lock) {
      if (inFlight == 0) {
        fail(Status.INTERNAL.withDescription("server sent a response for no outstanding request "
            + "(request_id '" + response.getRequestId() + "')").asRuntimeException());
        return;
      }
      inFlight--;
    }
    try {
      onResponse.accept(response);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    sendWhatIsAllowed();
  }

  @Override
  public void onError(Throwable error) {
    synchronized (lock) {
      ended = true;
      if (failure == null) {
        failure = error instanceof RuntimeException runtime ? runtime : Status.fromThrowable(error).asRuntimeException();
      }
    }
    done.countDown();
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      ended = true;
      if (failure == null && (inFlight > 0 || !halfClosed)) {
        failure = Status.INTERNAL.withDescription("server ended the stream with "
            + (inFlight > 0 ? inFlight + " request(s) unanswered" : "requests still unsent"))
            .asRuntimeException();
      }
    }
    done.countDown();
  }

  /** Blocks until the stream has ended, then rethrows its first failure, if any. */
  void await() throws InterruptedException {
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

  private void sendWhatIsAllowed() {
    synchronized (lock) {
      try {
        while (!ended && !halfClosed) {
          if (!requests.hasNext()) {
            halfClosed = true;
            requestStream.onCompleted();
          } else if (inFlight < maxInFlight && requestStream.isReady()) {
            ClassifyRequest request = requests.next();
            inFlight++;
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

  /** Records the first failure and cancels the call; gRPC then ends it with onError. */
  private void fail(RuntimeException cause) {
    synchronized (lock) {
      if (failure == null) {
        failure = cause;
      }
      if (!ended) {
        ended = true;
        requestStream.cancel("classifyStream aborted by the client", cause);
      }
    }
  }
}
