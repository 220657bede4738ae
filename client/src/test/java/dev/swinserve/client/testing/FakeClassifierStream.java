package dev.swinserve.client.testing;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one fake {@code ClassifyStream}. It answers nothing until {@code groupSize}
 * requests wait (or the client half-closes), then answers that group in reverse order, a moment
 * later on its own thread: a client that ignores flow control gets further requests in meanwhile,
 * which {@link #maxOutstanding()} then shows. A stream can be told to break after some answers
 * ({@link FakeClassifier#breakNextStreamAfter}) or to send every answer twice.
 */
public final class FakeClassifierStream implements StreamObserver<ClassifyRequest> {

  private static final long ANSWER_DELAY_MILLIS = 10;

  private final FakeClassifier classifier;
  private final StreamObserver<ClassifyResponse> responses;
  private final int groupSize;
  private final FakeClassifier.StreamBreak streamBreak;
  // One thread, so the response observer (not thread-safe) is only ever used from it.
  private final ScheduledExecutorService answerer = Executors.newSingleThreadScheduledExecutor();

  // Guarded by this.
  private final List<ClassifyRequest> received = new ArrayList<>();
  private final List<String> answeredRequestIds = new ArrayList<>();
  private final List<ClassifyRequest> waiting = new ArrayList<>();
  private int outstanding;
  private int maxOutstanding;
  private boolean failed;
  private boolean broken;

  FakeClassifierStream(
      FakeClassifier classifier,
      StreamObserver<ClassifyResponse> responses,
      int groupSize,
      FakeClassifier.StreamBreak streamBreak) {
    this.classifier = classifier;
    this.responses = responses;
    this.groupSize = groupSize;
    this.streamBreak = streamBreak;
  }

  /** Every request received, in arrival order. */
  public synchronized List<ClassifyRequest> requests() {
    return List.copyOf(received);
  }

  /** The request ids in the order their responses were sent. */
  public synchronized List<String> answeredRequestIds() {
    return List.copyOf(answeredRequestIds);
  }

  /** The most requests that were ever received and not yet answered at the same time. */
  public synchronized int maxOutstanding() {
    return maxOutstanding;
  }

  @Override
  public synchronized void onNext(ClassifyRequest request) {
    received.add(request);
    if (broken) {
      return;
    }
    Status failure = classifier.failure();
    if (failure != null) {
      if (!failed) {
        failed = true;
        Metadata trailers = classifier.failureTrailers();
        answerer.execute(() -> responses.onError(failure.asRuntimeException(trailers)));
        answerer.shutdown();
      }
      return;
    }
    outstanding++;
    maxOutstanding = Math.max(maxOutstanding, outstanding);
    waiting.add(request);
    if (waiting.size() >= groupSize) {
      answerWaiting(false);
    }
  }

  @Override
  public synchronized void onError(Throwable error) {
    answerer.shutdownNow();
  }

  @Override
  public synchronized void onCompleted() {
    if (!failed) {
      answerWaiting(true);
      answerer.shutdown();
    }
  }

  private void answerWaiting(boolean thenComplete) {
    if (classifier.streamsStalled()) {
      return;
    }
    List<ClassifyRequest> group = new ArrayList<>(waiting);
    waiting.clear();
    Collections.reverse(group);
    answerer.schedule(
        () -> {
          for (ClassifyRequest request : group) {
            synchronized (this) {
              if (broken) {
                return;
              }
              if (streamBreak != null && answeredRequestIds.size() == streamBreak.answers()) {
                broken = true;
                responses.onError(streamBreak.status().asRuntimeException());
                return;
              }
              // Counted before sending: the client may send its next request as soon as this
              // arrives.
              outstanding--;
              answeredRequestIds.add(request.getRequestId());
            }
            ClassifyResponse response = classifier.respond(request);
            responses.onNext(response);
            if (classifier.duplicatesStreamAnswers()) {
              responses.onNext(response);
            }
          }
          if (thenComplete) {
            responses.onCompleted();
          }
        },
        ANSWER_DELAY_MILLIS,
        TimeUnit.MILLISECONDS);
  }
}
