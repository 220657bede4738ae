package dev.swinserve.server.tfserving;

import dev.swinserve.api.tfserving.GetModelStatusRequest;
import dev.swinserve.api.tfserving.GetModelStatusResponse;
import dev.swinserve.api.tfserving.ModelServiceGrpc;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.grpc.UnaryResponses;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/**
 * TensorFlow Serving's ModelService ({@code tensorflow.serving.ModelService}): GetModelStatus from
 * the registry, for clients that wait for a version to become AVAILABLE. Errors map in {@link
 * StatusMapper}: an unknown model, version or label is NOT_FOUND.
 */
public final class ModelStatusGrpcService extends ModelServiceGrpc.ModelServiceImplBase {

  private final ModelRegistry<ClassificationModel> registry;

  @Inject
  ModelStatusGrpcService(ModelRegistry<ClassificationModel> registry) {
    this.registry = registry;
  }

  @Override
  public void getModelStatus(
      GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> responses) {
    UnaryResponses.respond(
        responses,
        () ->
            VersionStatusMapping.response(
                registry.status(ModelSpecs.name(request.getModelSpec())), request.getModelSpec()));
  }
}
