package dev.swinserve.server.tfserving;

import com.google.protobuf.Any;
import dev.swinserve.api.tfserving.GetModelMetadataRequest;
import dev.swinserve.api.tfserving.GetModelMetadataResponse;
import dev.swinserve.api.tfserving.PredictRequest;
import dev.swinserve.api.tfserving.PredictResponse;
import dev.swinserve.api.tfserving.PredictionServiceGrpc;
import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.grpc.CallPipeline;
import dev.swinserve.server.grpc.FrontDoor;
import dev.swinserve.server.grpc.StatusMapper;
import dev.swinserve.server.grpc.UnaryResponses;
import dev.swinserve.server.runtime.ClassificationModel;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/**
 * TensorFlow Serving's PredictionService ({@code tensorflow.serving.PredictionService}), so that
 * its clients ({@code tensorflow-serving-api}) call swinserve unchanged: Predict through the same
 * {@link CallPipeline} as Classify (endpoints, A/B arms, shadows, limits, deadline, metrics), and
 * GetModelMetadata from the registry. Errors map in {@link StatusMapper}.
 */
public final class PredictionGrpcService extends PredictionServiceGrpc.PredictionServiceImplBase {

  /** The one metadata field TensorFlow Serving defines. */
  static final String SIGNATURE_DEF = "signature_def";

  private final CallPipeline pipeline;
  private final ModelRegistry<ClassificationModel> registry;

  @Inject
  PredictionGrpcService(CallPipeline pipeline, ModelRegistry<ClassificationModel> registry) {
    this.pipeline = pipeline;
    this.registry = registry;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
    pipeline.classify(
        FrontDoor.PREDICT,
        request.getModelSpec().getName(),
        call -> PredictMapping.request(request, call),
        result -> {
          responses.onNext(PredictMapping.response(request, result));
          responses.onCompleted();
        },
        failure -> responses.onError(failure.asException()));
  }

  /**
   * The signature of the version the spec selects. Endpoint names are not resolved here: metadata
   * belongs to a model version, and an endpoint may route to several.
   */
  @Override
  public void getModelMetadata(
      GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> responses) {
    UnaryResponses.respond(responses, () -> metadata(request));
  }

  private GetModelMetadataResponse metadata(GetModelMetadataRequest request) {
    String name = ModelSpecs.name(request.getModelSpec());
    if (request.getMetadataFieldCount() == 0) {
      throw new InvalidInputException("metadata_field is required; the one field is signature_def");
    }
    for (String field : request.getMetadataFieldList()) {
      if (!field.equals(SIGNATURE_DEF)) {
        throw new InvalidInputException(
            "metadata_field '"
                + ModelSpecs.shown(field)
                + "' is not served; the one field is "
                + SIGNATURE_DEF);
      }
    }
    try (ModelHandle<ClassificationModel> handle =
        registry.acquire(name, ModelSpecs.selector(request.getModelSpec()))) {
      return GetModelMetadataResponse.newBuilder()
          .setModelSpec(ModelSpecs.answered(handle.id()))
          .putMetadata(SIGNATURE_DEF, Any.pack(Signatures.of(handle.servable())))
          .build();
    }
  }
}
