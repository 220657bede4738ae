package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.DeleteEndpointRequest;
import dev.swinserve.api.v1.DeleteEndpointResponse;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.GetEndpointRequest;
import dev.swinserve.api.v1.ListEndpointsRequest;
import dev.swinserve.api.v1.ListEndpointsResponse;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ListModelsResponse;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.RemoveLabelRequest;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.List;

/** ModelService: the registry's and the router's view and controls over gRPC. */
public final class ModelServiceGrpcService extends ModelServiceGrpc.ModelServiceImplBase {

  private final ModelRegistry<ClassificationModel> registry;
  private final Router router;
  private final EndpointsFileWatcher endpointsFile;

  @Inject
  public ModelServiceGrpcService(
      ModelRegistry<ClassificationModel> registry,
      Router router,
      EndpointsFileWatcher endpointsFile) {
    this.registry = registry;
    this.router = router;
    this.endpointsFile = endpointsFile;
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
    UnaryResponses.respond(
        responses, () -> ModelStatusMapping.list(registry.list(), registry.problems()));
  }

  @Override
  public void getModelStatus(ModelSpec spec, StreamObserver<ModelStatus> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          dev.swinserve.registry.ModelStatus status = registry.status(spec.getName());
          if (spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSIONCHOICE_NOT_SET) {
            return ModelStatusMapping.status(status);
          }
          // Resolves the version or label, failing with NOT_FOUND/UNAVAILABLE like Classify would.
          long version;
          try (var handle = registry.acquire(spec.getName(), ProtoMapping.selector(spec))) {
            version = handle.id().version();
          }
          ModelStatus all = ModelStatusMapping.status(status);
          ModelStatus.Builder only = all.toBuilder().clearVersions();
          all.getVersionsList().stream()
              .filter(v -> v.getVersion() == version)
              .forEach(only::addVersions);
          return only.build();
        });
  }

  @Override
  public void setLabel(SetLabelRequest request, StreamObserver<ModelStatus> responses) {
    UnaryResponses.respond(
        responses,
        () ->
            ModelStatusMapping.status(
                registry.setLabel(request.getModel(), request.getLabel(), request.getVersion())));
  }

  @Override
  public void removeLabel(RemoveLabelRequest request, StreamObserver<ModelStatus> responses) {
    UnaryResponses.respond(
        responses,
        () ->
            ModelStatusMapping.status(
                registry.removeLabel(request.getModel(), request.getLabel())));
  }

  @Override
  public void reloadRepository(
      ReloadRepositoryRequest request, StreamObserver<ListModelsResponse> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          endpointsFile.check();
          List<dev.swinserve.registry.ModelStatus> models = registry.reload();
          return ModelStatusMapping.list(models, registry.problems());
        });
  }

  @Override
  public void setEndpoint(Endpoint request, StreamObserver<Endpoint> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          dev.swinserve.server.routing.Endpoint endpoint = EndpointMapping.endpoint(request);
          router.set(endpoint);
          return EndpointMapping.message(endpoint);
        });
  }

  @Override
  public void getEndpoint(GetEndpointRequest request, StreamObserver<Endpoint> responses) {
    UnaryResponses.respond(
        responses, () -> EndpointMapping.message(router.endpoint(request.getName())));
  }

  @Override
  public void listEndpoints(
      ListEndpointsRequest request, StreamObserver<ListEndpointsResponse> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          ListEndpointsResponse.Builder response =
              ListEndpointsResponse.newBuilder().setConfigError(endpointsFile.error().orElse(""));
          router
              .table()
              .endpoints()
              .values()
              .forEach(endpoint -> response.addEndpoints(EndpointMapping.message(endpoint)));
          return response.build();
        });
  }

  @Override
  public void deleteEndpoint(
      DeleteEndpointRequest request, StreamObserver<DeleteEndpointResponse> responses) {
    UnaryResponses.respond(
        responses,
        () -> {
          router.delete(request.getName());
          return DeleteEndpointResponse.getDefaultInstance();
        });
  }
}
