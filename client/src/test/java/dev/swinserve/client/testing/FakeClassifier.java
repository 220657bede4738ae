package dev.swinserve.client.testing;

import com.google.protobuf.ByteString;
import dev.swinserve.api.RetryPushback;
import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ResolvedModel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A {@code Classifier} that records what it is sent and answers deterministically: the version is
 * the requested one, 3 for any label and 2 by default; an image's best class is labelled {@code
 * bytes-<size of the encoded image>} with score 0.5, the next ones {@code class-<index>} with
 * halving scores. Streams are answered out of order (see {@link FakeClassifierStream}). Unary
 * answers can be delayed, and every n-th request failed, to stand in for a loaded server; on
 * command unary calls also fail a given number of times, hang, or are shed with a pushback trailer,
 * as an unwell swinserve server would.
 */
public final class FakeClassifier extends ClassifierGrpc.ClassifierImplBase {

  /** The version a request without version or label gets. */
  public static final long DEFAULT_VERSION = 2;

  /** The version any label points at. */
  public static final long LABELLED_VERSION = 3;

  private final List<ClassifyRequest> unaryRequests = new CopyOnWriteArrayList<>();
  private final List<FakeClassifierStream> streams = new CopyOnWriteArrayList<>();
  private final AtomicInteger streamGroupSize = new AtomicInteger(2);
  private final AtomicInteger activeUnaryCalls = new AtomicInteger();
  private final AtomicInteger maxActiveUnaryCalls = new AtomicInteger();
  private final AtomicLong requestsCounted = new AtomicLong();
  private volatile Status failure;
  private volatile ByteString rejectedImage;
  private volatile Duration unaryDelay = Duration.ZERO;
  private volatile BooleanSupplier unaryAnswerWhen;
  private volatile int failEvery;
  private volatile Status everyFailure;
  private volatile boolean streamsStalled;
  private volatile boolean unaryHangs;
  private volatile Metadata failureTrailers;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile Status countedFailure;
  private final java.util.concurrent.atomic.AtomicReference<StreamBreak> nextStreamBreak =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile boolean duplicateStreamAnswers;

  /** How the next stream breaks: after {@code answers} responses, with {@code status}. */
  record StreamBreak(int answers, Status status) {}

  /** Every call from now on fails with {@code status} (a stream at its first request). */
  public void failWith(Status status) {
    this.failureTrailers = null;
    this.failure = status;
  }

  /**
   * Every unary call from now on is shed as an overloaded server sheds it: RESOURCE_EXHAUSTED with
   * a {@code grpc-retry-pushback-ms} trailer of {@code pushback}.
   */
  public void shed(Duration pushback) {
    failWith(Status.RESOURCE_EXHAUSTED.withDescription("queue full"), pushback);
  }

  /**
   * Every call from now on fails with {@code status} and a {@code grpc-retry-pushback-ms} trailer
   * of {@code pushback} (a stream at its first request).
   */
  public void failWith(Status status, Duration pushback) {
    this.failureTrailers = RetryPushback.trailers(pushback);
    this.failure = status;
  }

  /** The next {@code count} unary calls fail with {@code status}; later ones are answered. */
  public void failNext(int count, Status status) {
    this.countedFailure = status;
    failuresLeft.set(count);
  }

  /**
   * Unary calls from now on are never answered (a hung server); the client's deadline ends them.
   */
  public void hangUnaryCalls() {
    this.unaryHangs = true;
  }

  /**
   * The next stream opened fails with {@code status} once it has sent {@code answers} responses.
   */
  public void breakNextStreamAfter(int answers, Status status) {
    nextStreamBreak.set(new StreamBreak(answers, status));
  }

  /** Streams from now on send every response twice. */
  public void duplicateStreamAnswers() {
    this.duplicateStreamAnswers = true;
  }

  /** Undoes {@link #failWith}, {@link #shed}, {@link #failNext} and {@link #hangUnaryCalls}. */
  public void recover() {
    this.failure = null;
    this.failureTrailers = null;
    this.unaryHangs = false;
    failuresLeft.set(0);
  }

  /**
   * A request holding {@code image} is answered INVALID_ARGUMENT (on a stream, in its response).
   */
  public void rejectImage(ByteString image) {
    this.rejectedImage = image;
  }

  /** Unary calls are answered {@code delay} after they arrive (off the calling thread). */
  public void delayUnaryAnswers(Duration delay) {
    this.unaryDelay = delay;
  }

  /**
   * Unary calls are answered once {@code condition} holds (checked every millisecond, off the
   * calling thread).
   */
  public void answerUnaryWhen(BooleanSupplier condition) {
    this.unaryAnswerWhen = condition;
  }

  /**
   * Every {@code n}-th request from now on, unary and stream requests counted together, fails with
   * {@code status} (on a stream, in its response).
   */
  public void failEvery(int n, Status status) {
    this.everyFailure = status;
    this.failEvery = n;
  }

  /**
   * Streams from now on receive requests but never answer, not even when the client half-closes.
   */
  public void stallStreams() {
    this.streamsStalled = true;
  }

  /** The most unary calls that were ever unanswered at the same time. */
  public int maxConcurrentUnaryCalls() {
    return maxActiveUnaryCalls.get();
  }

  /** Streams answer once this many requests are waiting (or the client is done sending). */
  public void answerStreamsInGroupsOf(int size) {
    streamGroupSize.set(size);
  }

  public List<ClassifyRequest> unaryRequests() {
    return List.copyOf(unaryRequests);
  }

  public List<FakeClassifierStream> streams() {
    return List.copyOf(streams);
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    unaryRequests.add(request);
    maxActiveUnaryCalls.accumulateAndGet(activeUnaryCalls.incrementAndGet(), Math::max);
    Duration delay = unaryDelay;
    if (unaryHangs) {
      return;
    }
    BooleanSupplier answerWhen = unaryAnswerWhen;
    if (answerWhen != null) {
      CompletableFuture.runAsync(
          () -> {
            while (!answerWhen.getAsBoolean()) {
              LockSupport.parkNanos(1_000_000);
            }
            answerUnary(request, responses);
          });
    } else if (delay.isZero()) {
      answerUnary(request, responses);
    } else {
      CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
          .execute(() -> answerUnary(request, responses));
    }
  }

  private void answerUnary(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    Status status = failure != null ? failure : rejection(request);
    if (status == null
        && failuresLeft.get() > 0
        && failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      status = countedFailure;
    }
    // Counted as answered before answering: the client may send its next call as soon as it hears.
    activeUnaryCalls.decrementAndGet();
    if (status != null) {
      responses.onError(status.asRuntimeException(failure != null ? failureTrailers : null));
      return;
    }
    responses.onNext(answer(request));
    responses.onCompleted();
  }

  @Override
  public StreamObserver<ClassifyRequest> classifyStream(
      StreamObserver<ClassifyResponse> responses) {
    FakeClassifierStream stream =
        new FakeClassifierStream(
            this, responses, streamGroupSize.get(), nextStreamBreak.getAndSet(null));
    streams.add(stream);
    return stream;
  }

  Status failure() {
    return failure;
  }

  /** The trailers calls failing with {@link #failure()} carry; null for none. */
  Metadata failureTrailers() {
    return failureTrailers;
  }

  boolean streamsStalled() {
    return streamsStalled;
  }

  boolean duplicatesStreamAnswers() {
    return duplicateStreamAnswers;
  }

  /** The response to {@code request}, with {@code error} set when the request is rejected. */
  ClassifyResponse respond(ClassifyRequest request) {
    Status status = rejection(request);
    if (status == null) {
      return answer(request);
    }
    return ClassifyResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setError(
            com.google.rpc.Status.newBuilder()
                .setCode(status.getCode().value())
                .setMessage(status.getDescription()))
        .build();
  }

  /**
   * Why {@code request} fails: its turn in {@link #failEvery}, else a rejected image; null if it
   * does not.
   */
  private Status rejection(ClassifyRequest request) {
    long count = requestsCounted.incrementAndGet();
    int every = failEvery;
    if (every > 0 && count % every == 0) {
      return everyFailure;
    }
    ByteString rejected = rejectedImage;
    boolean holdsRejected =
        request.getImagesList().stream().anyMatch(image -> image.getEncoded().equals(rejected));
    return rejected != null && holdsRejected
        ? Status.INVALID_ARGUMENT.withDescription("cannot decode image")
        : null;
  }

  private static ClassifyResponse answer(ClassifyRequest request) {
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder()
            .setRequestId(request.getRequestId())
            .setModel(
                ResolvedModel.newBuilder()
                    .setName(request.getModel().getName())
                    .setVersion(version(request.getModel())));
    int topK = request.getTopK() == 0 ? 5 : request.getTopK();
    for (Image image : request.getImagesList()) {
      int size = image.getEncoded().size();
      Classification.Builder classification = response.addClassificationsBuilder();
      for (int rank = 0; rank < topK; rank++) {
        int index = (size + rank) % 1000;
        classification.addClasses(
            ClassScore.newBuilder()
                .setIndex(index)
                .setLabel(rank == 0 ? "bytes-" + size : "class-" + index)
                .setScore(0.5f / (1 << rank)));
      }
    }
    return response.build();
  }

  private static long version(ModelSpec model) {
    return switch (model.getVersionChoiceCase()) {
      case VERSION -> model.getVersion();
      case LABEL -> LABELLED_VERSION;
      case VERSIONCHOICE_NOT_SET -> DEFAULT_VERSION;
    };
  }
}
