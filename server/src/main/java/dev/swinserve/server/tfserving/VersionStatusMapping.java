package dev.swinserve.server.tfserving;

import dev.swinserve.api.tensorflow.Code;
import dev.swinserve.api.tfserving.GetModelStatusResponse;
import dev.swinserve.api.tfserving.ModelSpec;
import dev.swinserve.api.tfserving.ModelVersionStatus;
import dev.swinserve.api.tfserving.StatusProto;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelStatus;
import dev.swinserve.registry.VersionState;
import dev.swinserve.registry.VersionStatus;
import java.util.List;

/**
 * The registry's view of a model as TensorFlow Serving's GetModelStatus answers it. The states map
 * onto TensorFlow Serving's manager states: LOADING and WARMING (its loader's Load includes
 * warm-up) are LOADING; UNLOADED and FAILED are END, a failure with its reason as the status.
 */
final class VersionStatusMapping {

  private VersionStatusMapping() {}

  /**
   * The versions of {@code model} that {@code spec} selects: all it tracks, or the one its version
   * number or label names.
   *
   * @throws ModelNotFoundException if the spec names a version the registry does not track or a
   *     label the model does not have
   */
  static GetModelStatusResponse response(ModelStatus model, ModelSpec spec) {
    List<VersionStatus> versions =
        switch (spec.getVersionChoiceCase()) {
          case VERSIONCHOICE_NOT_SET -> model.versions();
          case VERSION -> only(model, spec.getVersion().getValue(), "version");
          case VERSION_LABEL -> {
            Long version = model.labels().get(spec.getVersionLabel());
            if (version == null) {
              throw new ModelNotFoundException(
                  "model '"
                      + model.name()
                      + "' has no label '"
                      + ModelSpecs.shown(spec.getVersionLabel())
                      + "'");
            }
            yield only(model, version, "label '" + spec.getVersionLabel() + "' points at version");
          }
        };
    GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
    versions.forEach(version -> response.addModelVersionStatus(status(version)));
    return response.build();
  }

  private static List<VersionStatus> only(ModelStatus model, long version, String what) {
    List<VersionStatus> found =
        model.versions().stream().filter(status -> status.version() == version).toList();
    if (found.isEmpty()) {
      throw new ModelNotFoundException(
          "model '" + model.name() + "' has no " + what + " " + version + " loaded or loading");
    }
    return found;
  }

  static ModelVersionStatus status(VersionStatus version) {
    ModelVersionStatus.State state =
        switch (version.state()) {
          case LOADING, WARMING -> ModelVersionStatus.State.LOADING;
          case AVAILABLE -> ModelVersionStatus.State.AVAILABLE;
          case UNLOADING -> ModelVersionStatus.State.UNLOADING;
          case UNLOADED, FAILED -> ModelVersionStatus.State.END;
        };
    StatusProto.Builder status = StatusProto.newBuilder().setErrorCode(Code.OK);
    if (version.state() == VersionState.FAILED) {
      status.setErrorCode(Code.UNKNOWN).setErrorMessage(version.error().orElse("failed"));
    }
    return ModelVersionStatus.newBuilder()
        .setVersion(version.version())
        .setState(state)
        .setStatus(status)
        .build();
  }
}
