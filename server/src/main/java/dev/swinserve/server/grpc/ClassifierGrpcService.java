package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/**
 * The Classifier service: protobuf in, the {@link CallPipeline}, protobuf out. Errors map in {@link
 * StatusMapper}. {@code ClassifyStream} is a {@link StreamCall}: each request answered, a failed
 * one with its error in the response, the stream going on.
 */
public final class ClassifierGrpcService extends ClassifierGrpc.ClassifierImplBase {

  private final CallPipeline pipeline;
  private final StreamSettings streamSettings;
  private final ShutdownDrain drain;

  @Inject
  ClassifierGrpcService(CallPipeline pipeline, StreamSettings streamSettings, ShutdownDrain drain) {
    this.pipeline = pipeline;
    this.streamSettings = streamSettings;
    this.drain = drain;
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    pipeline.classify(
        FrontDoor.CLASSIFY,
        request.getModel().getName(),
        call -> ProtoMapping.request(request, call),
        result -> {
          responses.onNext(ProtoMapping.response(request.getRequestId(), result));
          responses.onCompleted();
        },
        failure -> responses.onError(failure.asException()));
  }

  @Override
  public StreamObserver<ClassifyRequest> classifyStream(
      StreamObserver<ClassifyResponse> responses) {
    return new StreamCall<>(
        FrontDoor.CLASSIFY_STREAM,
        responses,
        streamSettings,
        drain,
        ClassifyRequest::getRequestId,
        (request, answer) -> {
          String requestId = request.getRequestId();
          pipeline.classify(
              FrontDoor.CLASSIFY_STREAM,
              request.getModel().getName(),
              call -> ProtoMapping.request(request, call),
              result -> answer.send(ProtoMapping.response(requestId, result)),
              failure -> answer.send(ProtoMapping.error(requestId, failure)));
        });
  }
}
