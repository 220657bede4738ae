package dev.swinserve.server.kserve;

import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferResponse;
import dev.swinserve.api.kserve.ModelMetadataRequest;
import dev.swinserve.api.kserve.ModelMetadataResponse;
import dev.swinserve.api.kserve.ModelReadyRequest;
import dev.swinserve.api.kserve.ModelReadyResponse;
import dev.swinserve.api.kserve.ServerLiveRequest;
import dev.swinserve.api.kserve.ServerLiveResponse;
import dev.swinserve.api.kserve.ServerMetadataRequest;
import dev.swinserve.api.kserve.ServerMetadataResponse;
import dev.swinserve.api.kserve.ServerReadyRequest;
import dev.swinserve.api.kserve.ServerReadyResponse;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.grpc.CallPipeline;
import dev.swinserve.server.grpc.FrontDoor;
import dev.swinserve.server.grpc.StatusMapper;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * The KServe v2 / Open Inference Protocol's {@code inference.GRPCInferenceService} on the server's
 * port: health and metadata from the registry and the router ({@link ModelLookup}), {@code
 * ModelInfer} through the {@link CallPipeline} like every classification ({@link InferCall} maps
 * it). Errors map in {@link StatusMapper}, as swinserve.v1's do.
 */
public final class KserveGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  static final String SERVER_NAME = "swinserve";

  private final CallPipeline pipeline;
  private final ModelLookup models;

  @Inject
  KserveGrpcService(
      CallPipeline pipeline, ModelRegistry<ClassificationModel> registry, Router router) {
    this.pipeline = pipeline;
    this.models = new ModelLookup(registry, router);
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
    respond(responses, () -> ServerLiveResponse.newBuilder().setLive(true).build());
  }

  /** Ready once the repository is loaded and every model in it has a version serving. */
  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> responses) {
    respond(
        responses, () -> ServerReadyResponse.newBuilder().setReady(models.serverReady()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> responses) {
    respond(
        responses,
        () ->
            ModelReadyResponse.newBuilder()
                .setReady(models.ready(request.getName(), request.getVersion()))
                .build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> responses) {
    respond(responses, KserveGrpcService::serverMetadata);
  }

  /** What the server says it is, over gRPC and HTTP alike. */
  static ServerMetadataResponse serverMetadata() {
    String version = KserveGrpcService.class.getPackage().getImplementationVersion();
    return ServerMetadataResponse.newBuilder()
        .setName(SERVER_NAME)
        .setVersion(version == null ? "development" : version)
        .addExtensions(Classifications.PARAMETER)
        .build();
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> responses) {
    respond(responses, () -> models.metadata(request.getName(), request.getVersion()));
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
    InferCall call = new InferCall(request);
    pipeline.classify(
        FrontDoor.MODEL_INFER,
        request.getModelName(),
        call::request,
        result -> {
          responses.onNext(call.response(result));
          responses.onCompleted();
        },
        failure -> responses.onError(failure.asException()));
  }

  private static <T> void respond(StreamObserver<T> responses, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toException(e));
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
