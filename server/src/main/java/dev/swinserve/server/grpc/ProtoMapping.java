package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import dev.swinserve.api.v1.ResolvedModel;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.classify.ClassificationRequest;
import dev.swinserve.server.classify.ClassificationResult;
import dev.swinserve.server.classify.ImageInput;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.ModelTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Protobuf messages to the server's domain types and back; validation of what protobuf can't say.
 */
final class ProtoMapping {

  static final int DEFAULT_TOP_K = 5;

  /** Longest request id or routing key. */
  static final int MAX_KEY_LENGTH = 256;

  /** How much of an oversized value a message shows. */
  private static final int SHOWN_PREFIX = 32;

  private ProtoMapping() {}

  /**
   * The domain request of a call in {@code call}: with its deadline, and its cancellation, which
   * stops the work spent on the call when the client goes away.
   *
   * @throws InvalidInputException if a name, key or number is out of its bounds
   */
  static ClassificationRequest request(ClassifyRequest request, CallContext call) {
    requireBounded("request_id", request.getRequestId(), MAX_KEY_LENGTH);
    requireBounded("routing_key", request.getRoutingKey(), MAX_KEY_LENGTH);
    if (request.getModel().getName().isEmpty()) {
      throw new InvalidInputException("model.name is required");
    }
    requireBounded("model.name", request.getModel().getName(), ModelTarget.MAX_NAME_LENGTH);
    requireBounded("model.label", request.getModel().getLabel(), ModelTarget.MAX_NAME_LENGTH);
    if (request.getTopK() < 0) {
      throw new InvalidInputException("top_k must not be negative, got " + request.getTopK());
    }
    List<ImageInput> images = new ArrayList<>(request.getImagesCount());
    for (int i = 0; i < request.getImagesCount(); i++) {
      images.add(image(request.getImages(i), i));
    }
    return new ClassificationRequest(
        request.getModel().getName(),
        selector(request.getModel()),
        images,
        request.getTopK() == 0 ? DEFAULT_TOP_K : request.getTopK(),
        request.getIncludeLogits(),
        call.deadlineNanoTime(),
        request.getRoutingKey(),
        call.cancelled());
  }

  /**
   * @throws InvalidInputException naming the field and the limit, showing only the start of the
   *     value, if {@code value} is longer than {@code maxLength}
   */
  static void requireBounded(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidInputException(
          field
              + " is "
              + value.length()
              + " characters long; the limit is "
              + maxLength
              + " ('"
              + value.substring(0, SHOWN_PREFIX)
              + "...')");
    }
  }

  static VersionSelector selector(ModelSpec spec) {
    return switch (spec.getVersionChoiceCase()) {
      case VERSION -> VersionSelector.version(spec.getVersion());
      case LABEL -> VersionSelector.label(spec.getLabel());
      case VERSIONCHOICE_NOT_SET -> VersionSelector.defaultVersion();
    };
  }

  private static ImageInput image(Image image, int index) {
    return switch (image.getDataCase()) {
      case ENCODED -> new ImageInput.Encoded(image.getEncoded().toByteArray());
      case PIXELS -> pixels(image.getPixels());
      case DATA_NOT_SET ->
          throw new InvalidInputException(
              "image " + index + " has neither encoded bytes nor pixels");
    };
  }

  private static ImageInput pixels(PixelTensor tensor) {
    float[] values = new float[tensor.getValuesCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.getValues(i);
    }
    return new ImageInput.Pixels(
        tensor.getHeight(), tensor.getWidth(), tensor.getChannels(), values);
  }

  static ClassifyResponse response(String requestId, ClassificationResult result) {
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder()
            .setRequestId(requestId)
            .setModel(
                ResolvedModel.newBuilder()
                    .setName(result.model().name())
                    .setVersion(result.model().version()));
    for (ClassificationResult.ImageClassification image : result.images()) {
      Classification.Builder classification = response.addClassificationsBuilder();
      for (ClassificationResult.ClassScore score : image.classes()) {
        classification.addClasses(
            ClassScore.newBuilder()
                .setIndex(score.index())
                .setLabel(score.label())
                .setScore(score.score()));
      }
      if (image.logits() != null) {
        for (float logit : image.logits()) {
          classification.addLogits(logit);
        }
      }
    }
    return response.build();
  }

  /** An error response; a request id over the bound is echoed only as far as the bound. */
  static ClassifyResponse error(String requestId, CallFailure failure) {
    String echoed =
        requestId.length() > MAX_KEY_LENGTH ? requestId.substring(0, MAX_KEY_LENGTH) : requestId;
    return ClassifyResponse.newBuilder()
        .setRequestId(echoed)
        .setError(failure.asRpcStatus())
        .build();
  }
}
