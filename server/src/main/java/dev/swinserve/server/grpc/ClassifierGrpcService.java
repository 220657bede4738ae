package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.server.classify.ClassificationService;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/** The Classifier service: protobuf in, domain call, protobuf out. Errors map in {@link StatusMapper}. */
public final class ClassifierGrpcService extends ClassifierGrpc.ClassifierImplBase {

  private final ClassificationService classification;
  private final StreamSettings streamSettings;
  private final ShutdownDrain drain;

  @Inject
  public ClassifierGrpcService(ClassificationService classification, StreamSettings streamSettings,
      ShutdownDrain drain) {
    this.classification = classification;
    this.streamSettings = streamSettings;
    this.drain = drain;
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    try {
      classification.classify(ProtoMapping.request(request, Context.current().getDeadline()))
          .whenComplete((result, error) -> {
            if (error != null) {
              responses.onError(StatusMapper.toException(error));
            } else {
              responses.onNext(ProtoMapping.response(request.getRequestId(), result));
              responses.onCompleted();
            }
          });
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toException(e));
    }
  }

  @Override
  public StreamObserver<ClassifyRequest> classifyStream(StreamObserver<ClassifyResponse> responses) {
    return new ClassifyStreamCall(classification, (ServerCallStreamObserver<ClassifyResponse>) responses,
        streamSettings, drain);
  }
}
