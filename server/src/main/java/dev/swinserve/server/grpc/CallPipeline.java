package dev.swinserve.server.grpc;

import dev.swinserve.server.classify.ClassificationRequest;
import dev.swinserve.server.classify.ClassificationResult;
import dev.swinserve.server.classify.ClassificationService;
import io.grpc.Context;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one path every classification call takes, whatever front door it came in by: the front door
 * maps its message to a {@link ClassificationRequest} (given the call's deadline and cancellation
 * as a {@link CallContext}), the pipeline classifies it, records it once in {@code request_latency}
 * ({@link RequestMetrics}), maps a failure once to what the client sees ({@link StatusMapper}:
 * codes, error ids, retry pushback) and hands the outcome back for the front door to write in its
 * own protocol. Front doors thus stay thin adapters and cannot drift apart in accounting.
 *
 * <p>Thread-safe and non-blocking.
 */
@Singleton
public final class CallPipeline {

  private static final System.Logger LOG = System.getLogger(CallPipeline.class.getName());

  private final ClassificationService classification;
  private final RequestMetrics metrics;

  @Inject
  CallPipeline(ClassificationService classification, RequestMetrics metrics) {
    this.classification = classification;
    this.metrics = metrics;
  }

  /**
   * Runs one call of the current gRPC {@link Context}; returns at once. Exactly one of {@code
   * answered} and {@code failed} is called, once, after the call is recorded: on the calling thread
   * if the call fails before it is queued, else on whichever thread completes it.
   *
   * @param requestedModel the model or endpoint name as the caller wrote it: a failure's series
   *     names it if the server knows it
   * @param request maps the front door's message; a domain exception it throws (such as {@code
   *     InvalidInputException}) fails the call like any other failure
   */
  public void classify(
      FrontDoor door,
      String requestedModel,
      Function<CallContext, ClassificationRequest> request,
      Consumer<ClassificationResult> answered,
      Consumer<CallFailure> failed) {
    classify(door, requestedModel, CallContext.of(Context.current()), request, answered, failed);
  }

  /**
   * Runs one call of a front door that is not gRPC (the HTTP routes): as {@link
   * #classify(FrontDoor, String, Function, Consumer, Consumer)}, with the deadline and cancellation
   * the front door read from its own transport.
   */
  public void classify(
      FrontDoor door,
      String requestedModel,
      CallContext context,
      Function<CallContext, ClassificationRequest> request,
      Consumer<ClassificationResult> answered,
      Consumer<CallFailure> failed) {
    long start = System.nanoTime();
    CompletableFuture<ClassificationResult> result;
    try {
      result = classification.classify(request.apply(context));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (classified, error) -> {
          try {
            if (error == null) {
              metrics.record(door, classified.model(), start);
              answered.accept(classified);
            } else {
              CallFailure failure = StatusMapper.toFailure(error);
              metrics.recordFailure(door, requestedModel, failure.code(), start);
              failed.accept(failure);
            }
          } catch (RuntimeException e) {
            // Nothing is left to tell the client; without this line the future would swallow it.
            LOG.log(System.Logger.Level.ERROR, "answering a " + door.method() + " call failed", e);
          }
        });
  }
}
