package dev.swinserve.server.kserve;

import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.kserve.ModelConfigRequest;
import dev.swinserve.api.kserve.ModelConfigResponse;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferResponse;
import dev.swinserve.api.kserve.ModelMetadataRequest;
import dev.swinserve.api.kserve.ModelMetadataResponse;
import dev.swinserve.api.kserve.ModelReadyRequest;
import dev.swinserve.api.kserve.ModelReadyResponse;
import dev.swinserve.api.kserve.ModelStatisticsRequest;
import dev.swinserve.api.kserve.ModelStatisticsResponse;
import dev.swinserve.api.kserve.ModelStreamInferResponse;
import dev.swinserve.api.kserve.RepositoryIndexRequest;
import dev.swinserve.api.kserve.RepositoryIndexResponse;
import dev.swinserve.api.kserve.RepositoryModelLoadRequest;
import dev.swinserve.api.kserve.RepositoryModelLoadResponse;
import dev.swinserve.api.kserve.RepositoryModelUnloadRequest;
import dev.swinserve.api.kserve.RepositoryModelUnloadResponse;
import dev.swinserve.api.kserve.ServerLiveRequest;
import dev.swinserve.api.kserve.ServerLiveResponse;
import dev.swinserve.api.kserve.ServerMetadataRequest;
import dev.swinserve.api.kserve.ServerMetadataResponse;
import dev.swinserve.api.kserve.ServerReadyRequest;
import dev.swinserve.api.kserve.ServerReadyResponse;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.grpc.CallPipeline;
import dev.swinserve.server.grpc.FrontDoor;
import dev.swinserve.server.grpc.ShutdownDrain;
import dev.swinserve.server.grpc.StatusMapper;
import dev.swinserve.server.grpc.StreamCall;
import dev.swinserve.server.grpc.StreamSettings;
import dev.swinserve.server.grpc.UnaryResponses;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/**
 * The KServe v2 / Open Inference Protocol's {@code inference.GRPCInferenceService} on the server's
 * port: health, metadata and Triton's model configuration from the registry and the router ({@link
 * ModelLookup}), {@code ModelInfer} through the {@link CallPipeline} like every classification
 * ({@link InferCall} maps it). Triton's extensions: {@code ModelStreamInfer} as a {@link
 * StreamCall} with the flow control and shutdown drain of swinserve.v1's {@code ClassifyStream}, a
 * failed request answered with {@code error_message}; the model repository ({@link
 * RepositoryControl}); statistics from the server's metrics ({@link ModelStatisticsReader}). Errors
 * map in {@link StatusMapper}, as swinserve.v1's do.
 */
public final class KserveGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  static final String SERVER_NAME = "swinserve";

  private final CallPipeline pipeline;
  private final ModelLookup models;
  private final StreamSettings streamSettings;
  private final ShutdownDrain drain;
  private final RepositoryControl repository;
  private final ModelStatisticsReader statistics;

  @Inject
  KserveGrpcService(
      CallPipeline pipeline,
      ModelRegistry<ClassificationModel> registry,
      Router router,
      StreamSettings streamSettings,
      ShutdownDrain drain,
      ServerMetrics metrics) {
    this.pipeline = pipeline;
    this.models = new ModelLookup(registry, router);
    this.streamSettings = streamSettings;
    this.drain = drain;
    this.repository = new RepositoryControl(registry);
    this.statistics = new ModelStatisticsReader(registry, metrics);
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
    UnaryResponses.respond(responses, () -> ServerLiveResponse.newBuilder().setLive(true).build());
  }

  /**
   * Ready once the repository is loaded and every model in it has a version serving, but those
   * unloaded on request (as Triton counts only the models it was asked to serve).
   */
  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> responses) {
    UnaryResponses.respond(
        responses, () -> ServerReadyResponse.newBuilder().setReady(models.serverReady()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> responses) {
    UnaryResponses.respond(
        responses,
        () ->
            ModelReadyResponse.newBuilder()
                .setReady(models.ready(request.getName(), request.getVersion()))
                .build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> responses) {
    UnaryResponses.respond(responses, KserveGrpcService::serverMetadata);
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
    UnaryResponses.respond(
        responses, () -> models.metadata(request.getName(), request.getVersion()));
  }

  /** The configuration in Triton's terms ({@link ModelConfigs}); an endpoint's first arm's. */
  @Override
  public void modelConfig(
      ModelConfigRequest request, StreamObserver<ModelConfigResponse> responses) {
    UnaryResponses.respond(
        responses,
        () ->
            ModelConfigResponse.newBuilder()
                .setConfig(models.config(request.getName(), request.getVersion()))
                .build());
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

  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(
      StreamObserver<ModelStreamInferResponse> responses) {
    return new StreamCall<>(
        FrontDoor.MODEL_STREAM_INFER,
        responses,
        streamSettings,
        drain,
        ModelInferRequest::getId,
        this::streamInfer);
  }

  /** One request of a stream; a failure is its answer, and the stream goes on. */
  private void streamInfer(
      ModelInferRequest request, StreamCall.Answer<ModelStreamInferResponse> answer) {
    InferCall call = new InferCall(request);
    pipeline.classify(
        FrontDoor.MODEL_STREAM_INFER,
        request.getModelName(),
        call::request,
        result -> {
          ModelStreamInferResponse response;
          try {
            response =
                ModelStreamInferResponse.newBuilder()
                    .setInferResponse(call.response(result))
                    .build();
          } catch (RuntimeException e) {
            // Every request read must be answered, or the stream never ends.
            response = call.error(StatusMapper.toFailure(e));
          }
          answer.send(response);
        },
        failure -> answer.send(call.error(failure)));
  }

  @Override
  public void modelStatistics(
      ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> responses) {
    UnaryResponses.respond(responses, () -> statistics.of(request.getName(), request.getVersion()));
  }

  @Override
  public void repositoryIndex(
      RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> responses) {
    UnaryResponses.respond(responses, () -> repository.index(request.getReady()));
  }

  @Override
  public void repositoryModelLoad(
      RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          repository.load(request.getModelName(), request.getParametersMap());
          return RepositoryModelLoadResponse.getDefaultInstance();
        });
  }

  @Override
  public void repositoryModelUnload(
      RepositoryModelUnloadRequest request,
      StreamObserver<RepositoryModelUnloadResponse> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          repository.unload(request.getModelName());
          return RepositoryModelUnloadResponse.getDefaultInstance();
        });
  }
}
