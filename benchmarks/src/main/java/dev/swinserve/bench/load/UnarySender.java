package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.bench.load.Phases.Phase;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends single {@code Classify} calls without blocking a thread per call, so an open loop can keep
 * a thousand outstanding. Thread-safe.
 */
final class UnarySender {

  private final RunContext run;
  private final ClassifierGrpc.ClassifierStub stub;

  UnarySender(RunContext run) {
    this.run = run;
    this.stub = ClassifierGrpc.newStub(run.channel());
  }

  /**
   * Sends the next request as part of {@code phase}, its latency counted from {@code startNanos}.
   * The caller has already counted it in {@link RunContext#outstanding()}; once it is answered, the
   * answer is recorded, the count released, and then {@code then} runs on a gRPC thread with the
   * call's status code.
   */
  void send(Phase phase, long startNanos, Consumer<Status.Code> then) {
    ClassifyRequest request = run.source().next();
    int images = request.getImagesCount();
    stub.withDeadlineAfter(run.deadline().toNanos(), TimeUnit.NANOSECONDS)
        .classify(
            request,
            new StreamObserver<>() {
              private Status status =
                  Status.INTERNAL.withDescription("call completed without a response");

              @Override
              public void onNext(ClassifyResponse response) {
                status = Answers.status(response, images);
              }

              @Override
              public void onError(Throwable error) {
                finish(Status.fromThrowable(error));
              }

              @Override
              public void onCompleted() {
                finish(status);
              }

              private void finish(Status outcome) {
                run.results().answered(phase, startNanos, run.ticker().nanoTime(), images, outcome);
                run.outstanding().release();
                then.accept(outcome.getCode());
              }
            });
  }
}
