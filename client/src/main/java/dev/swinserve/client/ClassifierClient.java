package dev.swinserve.client;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Classifies images with a swinserve server's {@code Classifier} service.
 *
 * <p>Thread-safe: any number of calls may run at once over the one channel. The client owns its
 * channel; {@link #close()} shuts it down. Call failures surface as {@link StatusRuntimeException}
 * carrying the server's status (NOT_FOUND, INVALID_ARGUMENT, UNAVAILABLE, ...).
 */
public final class ClassifierClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final ClassifierGrpc.ClassifierBlockingStub blockingStub;
  private final ClassifierGrpc.ClassifierStub asyncStub;

  /** A client over {@code channel}, which it takes ownership of. */
  public ClassifierClient(ManagedChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.blockingStub = ClassifierGrpc.newBlockingStub(channel);
    this.asyncStub = ClassifierGrpc.newStub(channel);
  }

  /** A client over a new plaintext channel to {@code target} ({@code HOST:PORT}). */
  public static ClassifierClient connect(String target) {
    return new ClassifierClient(ClientChannels.plaintext(target));
  }

  /**
   * One {@code Classify} call, blocking until the response arrives or {@code deadline} passes.
   *
   * @throws StatusRuntimeException when the call fails, DEADLINE_EXCEEDED included
   */
  public ClassifyResponse classify(ClassifyRequest request, Duration deadline) {
    return blockingStub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).classify(request);
  }

  /**
   * Sends every request from {@code requests} over one {@code ClassifyStream} call and blocks until
   * every response has been handed to {@code onResponse}, each exactly once and in the order the
   * server sent them (which may differ from request order; pair them by {@code request_id}).
   *
   * <p>At most {@code maxInFlight} requests are ever unanswered, and a request is only sent while
   * the call is ready, so neither side buffers without bound. {@code requests} is read lazily and
   * {@code onResponse} runs, one response at a time, on gRPC threads. {@code deadline} covers the
   * whole stream.
   *
   * @throws StatusRuntimeException when the stream fails, or INTERNAL when the server ends it
   *     without answering every request
   * @throws RuntimeException whatever {@code requests} or {@code onResponse} threw; the stream is
   *     cancelled first
   * @throws InterruptedException when interrupted while waiting; the stream is cancelled first
   */
  public void classifyStream(Iterator<ClassifyRequest> requests, int maxInFlight,
      Consumer<ClassifyResponse> onResponse, Duration deadline) throws InterruptedException {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    StreamingClassification stream = new StreamingClassification(requests, maxInFlight, onResponse);
    asyncStub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).classifyStream(stream);
    stream.await();
  }

  /** Shuts the channel down, giving calls in progress up to five seconds to end. */
  @Override
  public void close() {
    ClientChannels.shutdown(channel);
  }
}
