package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.server.classify.ClassificationService;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/** The Classifier service: protobuf in, domain call, protobuf out. Errors map in {@link StatusMapper}. */
public final class ClassifierGrpcService extends ClassifierGrpc.ClassifierImplBase {

  private final ClassificationService classification;
  private final StreamSettings streamSettings;
  private final ShutdownDrain drain;
  private final RequestMetrics metrics;

  @Inject
  ClassifierGrpcService(ClassificationService classification, StreamSettings streamSettings,
      ShutdownDrain drain, RequestMetrics metrics) {
    this.classification = classification;
    this.streamSettings = streamSettings;
    this.drain = drain;
    this.metrics = metrics;
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    long start = System.nanoTime();
    String model = request.getModel().getName();
    try {
      classification.classify(ProtoMapping.request(request, Context.current()))
          .whenComplete((result, error) -> {
            if (error != null) {
              fail(responses, model, error, start);
            } else {
              metrics.record("Classify", result.model(), start);
              responses.onNext(ProtoMapping.response(request.getRequestId(), result));
              responses.onCompleted();
            }
          });
    } catch (RuntimeException e) {
      fail(responses, model, e, start);
    }
  }

  private void fail(StreamObserver<ClassifyResponse> responses, String model, Throwable error, long start) {
    StatusRuntimeException status = StatusMapper.toException(error);
    metrics.recordFailure("Classify", model, status.getStatus().getCode(), start);
    responses.onError(status);
  }

  @Override
  public StreamObserver<ClassifyRequest> classifyStream(StreamObserver<ClassifyResponse> responses) {
    return new ClassifyStreamCall(classification, (ServerCallStreamObserver<ClassifyResponse>) responses,
        streamSettings, drain, metrics);
  }
}
