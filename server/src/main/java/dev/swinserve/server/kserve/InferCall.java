package dev.swinserve.server.kserve;

import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.InferParameter;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferResponse;
import dev.swinserve.api.kserve.ModelInferResponse.InferOutputTensor;
import dev.swinserve.api.kserve.ModelStreamInferResponse;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.classify.ClassificationRequest;
import dev.swinserve.server.classify.ClassificationResult;
import dev.swinserve.server.classify.ClassificationResult.ClassScore;
import dev.swinserve.server.classify.ClassificationResult.ImageClassification;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.grpc.CallContext;
import dev.swinserve.server.grpc.CallFailure;
import dev.swinserve.server.routing.ModelTarget;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code ModelInfer} call: its message as a {@link ClassificationRequest}, and the result as
 * its answer. {@code model_name} goes through the router (an endpoint gets its split and shadows);
 * {@code model_version} picks a version by number, {@code parameters["label"]} by label, and {@code
 * parameters["routing_key"]} keeps a caller on one arm of an endpoint. The outputs are {@code
 * logits} and {@code probabilities}, FP32 {@code [N, classes]}, as many as were asked for (both
 * when none were), or as the top classes of the classification extension ({@link Classifications});
 * always in {@code raw_output_contents}, as Triton answers. The response names the model and
 * version that answered.
 *
 * <p>Not thread-safe: {@link #request} runs before {@link #response}, which the call's future
 * orders.
 */
final class InferCall {

  static final String LABEL = "label";
  static final String ROUTING_KEY = "routing_key";
  static final String LOGITS = "logits";
  static final String PROBABILITIES = "probabilities";

  /** Longest routing key, as the Classifier service allows. */
  private static final int MAX_KEY_LENGTH = 256;

  private final ModelInferRequest message;
  private List<RequestedOutput> outputs = List.of();

  InferCall(ModelInferRequest message) {
    this.message = message;
  }

  /**
   * @throws InvalidInputException naming the field or input that is wrong
   */
  ClassificationRequest request(CallContext call) {
    String model = message.getModelName();
    if (model.isEmpty()) {
      throw new InvalidInputException("model_name is required");
    }
    requireBounded("model_name", model, ModelTarget.MAX_NAME_LENGTH);
    String routingKey = stringParameter(message.getParametersMap(), ROUTING_KEY);
    requireBounded("parameters[\"routing_key\"]", routingKey, MAX_KEY_LENGTH);
    outputs = requestedOutputs();
    return new ClassificationRequest(
        model,
        selector(message.getModelVersion(), stringParameter(message.getParametersMap(), LABEL)),
        InferInputs.images(message),
        Integer.MAX_VALUE, // every class's probability
        true,
        call.deadlineNanoTime(),
        routingKey,
        call.cancelled());
  }

  ModelInferResponse response(ClassificationResult result) {
    ModelInferResponse.Builder response =
        ModelInferResponse.newBuilder()
            .setModelName(result.model().name())
            .setModelVersion(Long.toString(result.model().version()))
            .setId(message.getId());
    List<ImageClassification> images = result.images();
    int classes = images.get(0).logits().length;
    for (RequestedOutput output : outputs) {
      InferOutputTensor.Builder tensor =
          response.addOutputsBuilder().setName(output.name()).addShape(images.size());
      if (output.classification() > 0) {
        int count = Math.min(output.classification(), classes);
        tensor.setDatatype(InferInputs.BYTES).addShape(count);
        response.addRawOutputContents(Classifications.raw(images, output.name(), count));
        continue;
      }
      tensor.setDatatype(InferInputs.FP32).addShape(classes);
      ByteBuffer raw =
          ByteBuffer.allocate(images.size() * classes * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (ImageClassification image : images) {
        float[] values =
            output.name().equals(LOGITS) ? image.logits() : probabilities(image, classes);
        for (float value : values) {
          raw.putFloat(value);
        }
      }
      response.addRawOutputContents(ByteString.copyFrom(raw.array()));
    }
    return response.build();
  }

  /**
   * A failed request's answer on a stream, as Triton gives it: the status code and message in
   * {@code error_message}, the request's id, model name and version in {@code infer_response}.
   */
  ModelStreamInferResponse error(CallFailure failure) {
    Status status = failure.status();
    return ModelStreamInferResponse.newBuilder()
        .setErrorMessage(
            status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription()))
        .setInferResponse(
            ModelInferResponse.newBuilder()
                .setModelName(message.getModelName())
                .setModelVersion(message.getModelVersion())
                .setId(message.getId()))
        .build();
  }

  private static float[] probabilities(ImageClassification image, int classes) {
    float[] probabilities = new float[classes];
    for (ClassScore score : image.classes()) {
      probabilities[score.index()] = score.score();
    }
    return probabilities;
  }

  /**
   * @param classification top classes asked for by the classification extension; 0 for the tensor
   */
  private record RequestedOutput(String name, int classification) {}

  private List<RequestedOutput> requestedOutputs() {
    if (message.getOutputsCount() == 0) {
      return List.of(new RequestedOutput(LOGITS, 0), new RequestedOutput(PROBABILITIES, 0));
    }
    List<RequestedOutput> requested = new ArrayList<>();
    for (ModelInferRequest.InferRequestedOutputTensor output : message.getOutputsList()) {
      String name = output.getName();
      if (!name.equals(LOGITS) && !name.equals(PROBABILITIES)) {
        throw new InvalidInputException(
            "output '"
                + shown(name)
                + "' is unknown; the model's outputs are '"
                + LOGITS
                + "' and '"
                + PROBABILITIES
                + "'");
      }
      if (requested.stream().anyMatch(earlier -> earlier.name().equals(name))) {
        throw new InvalidInputException("output '" + name + "' is asked for twice");
      }
      requested.add(new RequestedOutput(name, Classifications.count(name, output)));
    }
    return requested;
  }

  /**
   * The version a call or a metadata request names: by number, by label, or the default.
   *
   * @param version a version number as a string; empty for none
   * @param label empty for none
   * @throws InvalidInputException if the version is no number, or both are given
   */
  static VersionSelector selector(String version, String label) {
    requireBounded("label", label, ModelTarget.MAX_NAME_LENGTH);
    if (!version.isEmpty() && !label.isEmpty()) {
      throw new InvalidInputException(
          "give the version or parameters[\"label\"], not both (version '"
              + shown(version)
              + "', label '"
              + label
              + "')");
    }
    if (!version.isEmpty()) {
      if (!version.matches("[0-9]{1,18}")) {
        throw new InvalidInputException(
            "the version must be a version number, got '" + shown(version) + "'");
      }
      return VersionSelector.version(Long.parseLong(version));
    }
    return label.isEmpty() ? VersionSelector.defaultVersion() : VersionSelector.label(label);
  }

  private static String stringParameter(Map<String, InferParameter> parameters, String name) {
    InferParameter parameter = parameters.get(name);
    if (parameter == null) {
      return "";
    }
    if (parameter.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM) {
      throw new InvalidInputException("parameters[\"" + name + "\"] must be a string_param");
    }
    return parameter.getStringParam();
  }

  private static void requireBounded(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidInputException(
          field
              + " is "
              + value.length()
              + " characters long; the limit is "
              + maxLength
              + " ('"
              + shown(value)
              + "')");
    }
  }

  /** At most the first 32 characters of {@code value}. */
  static String shown(String value) {
    return value.length() <= 32 ? value : value.substring(0, 32) + "...";
  }
}
