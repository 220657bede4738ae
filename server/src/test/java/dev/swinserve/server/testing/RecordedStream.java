package dev.swinserve.server.testing;

import dev.swinserve.api.v1.ClassifyResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records what a ClassifyStream sends back: its responses in order, and how it ended. Thread-safe.
 */
public final class RecordedStream implements StreamObserver<ClassifyResponse> {

  private final List<ClassifyResponse> responses = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstResponse = new CountDownLatch(1);
  private final CompletableFuture<Status> end = new CompletableFuture<>();
  private final CompletableFuture<Throwable> error = new CompletableFuture<>();

  @Override
  public void onNext(ClassifyResponse response) {
    responses.add(response);
    firstResponse.countDown();
  }

  @Override
  public void onError(Throwable failure) {
    error.complete(failure);
    end.complete(Status.fromThrowable(failure));
  }

  @Override
  public void onCompleted() {
    end.complete(Status.OK);
  }

  /** The responses so far. */
  public List<ClassifyResponse> responses() {
    return responses;
  }

  /** Whether a response arrived within {@code timeout}. */
  public boolean awaitFirstResponse(long timeout, TimeUnit unit) throws InterruptedException {
    return firstResponse.await(timeout, unit);
  }

  /** The stream's status once it ends: OK if it completed. */
  public CompletableFuture<Status> end() {
    return end;
  }

  /** What the stream failed with, if it did. */
  public CompletableFuture<Throwable> error() {
    return error;
  }
}
