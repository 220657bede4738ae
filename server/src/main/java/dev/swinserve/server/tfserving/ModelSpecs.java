package dev.swinserve.server.tfserving;

import dev.swinserve.api.tfserving.ModelSpec;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.ModelTarget;

/** TensorFlow Serving's {@code ModelSpec} to the registry's terms and back. */
final class ModelSpecs {

  private ModelSpecs() {}

  /**
   * The model (or endpoint) name of {@code spec}.
   *
   * @throws InvalidInputException if the name is missing or too long, or the spec names a signature
   *     other than {@code serving_default}, the one swinserve's models have
   */
  static String name(ModelSpec spec) {
    if (spec.getName().isEmpty()) {
      throw new InvalidInputException("model_spec.name is required");
    }
    requireBounded("model_spec.name", spec.getName());
    String signature = spec.getSignatureName();
    if (!signature.isEmpty() && !signature.equals(ModelVersionLayout.SIGNATURE)) {
      throw new InvalidInputException(
          "model_spec.signature_name '"
              + shown(signature)
              + "' is not served; the models' one signature is '"
              + ModelVersionLayout.SIGNATURE
              + "'");
    }
    return spec.getName();
  }

  /** The version {@code spec} asks for: a number, a label, or (neither) the default version. */
  static VersionSelector selector(ModelSpec spec) {
    return switch (spec.getVersionChoiceCase()) {
      case VERSION -> VersionSelector.version(spec.getVersion().getValue());
      case VERSION_LABEL -> {
        requireBounded("model_spec.version_label", spec.getVersionLabel());
        yield VersionSelector.label(spec.getVersionLabel());
      }
      case VERSIONCHOICE_NOT_SET -> VersionSelector.defaultVersion();
    };
  }

  /** The spec of the version that answered, as TensorFlow Serving echoes it. */
  static ModelSpec answered(ModelVersionId id) {
    return ModelSpec.newBuilder()
        .setName(id.name())
        .setVersion(com.google.protobuf.Int64Value.of(id.version()))
        .setSignatureName(ModelVersionLayout.SIGNATURE)
        .build();
  }

  private static void requireBounded(String field, String value) {
    if (value.length() > ModelTarget.MAX_NAME_LENGTH) {
      throw new InvalidInputException(
          field
              + " is "
              + value.length()
              + " characters long; the limit is "
              + ModelTarget.MAX_NAME_LENGTH
              + " ('"
              + shown(value)
              + "')");
    }
  }

  /** At most the first 32 characters of {@code value}, so a message stays short. */
  static String shown(String value) {
    return value.length() <= 32 ? value : value.substring(0, 32) + "...";
  }
}
