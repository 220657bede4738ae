package dev.swinserve.server.kserve;

import dev.swinserve.api.kserve.ModelRepositoryParameter;
import dev.swinserve.api.kserve.RepositoryIndexResponse;
import dev.swinserve.api.kserve.RepositoryIndexResponse.ModelIndex;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.ModelStatus;
import dev.swinserve.registry.VersionStatus;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.ModelTarget;
import dev.swinserve.server.runtime.ClassificationModel;
import java.util.Map;

/**
 * Triton's model repository extension on the {@link ModelRegistry}: {@code RepositoryIndex} lists
 * every model's versions with Triton's states, {@code RepositoryModelUnload} and {@code
 * RepositoryModelLoad} are {@link ModelRegistry#unload} and {@link ModelRegistry#load}, which act
 * as Triton's explicit model control does (see there). Files in the repository are never touched,
 * so the {@code config} and {@code file:} parameters of a load, which would write a model, are
 * refused.
 *
 * <p>Thread-safe; load and unload block until the registry is done.
 */
final class RepositoryControl {

  static final String STATE_READY = "READY";
  static final String STATE_LOADING = "LOADING";
  static final String STATE_UNLOADING = "UNLOADING";
  static final String STATE_UNAVAILABLE = "UNAVAILABLE";

  /** The reason Triton gives a model, or a version, that was unloaded. */
  static final String UNLOADED = "unloaded";

  private final ModelRegistry<ClassificationModel> registry;

  RepositoryControl(ModelRegistry<ClassificationModel> registry) {
    this.registry = registry;
  }

  /**
   * Every model, each version the registry tracks as one entry (a model with none as one entry
   * without a version), by name and version.
   *
   * @param readyOnly only the versions that serve now
   */
  RepositoryIndexResponse index(boolean readyOnly) {
    RepositoryIndexResponse.Builder index = RepositoryIndexResponse.newBuilder();
    for (ModelStatus model : registry.list()) {
      if (model.versions().isEmpty()) {
        if (!readyOnly) {
          index.addModels(
              ModelIndex.newBuilder()
                  .setName(model.name())
                  .setState(STATE_UNAVAILABLE)
                  .setReason(
                      model.unloaded()
                          ? UNLOADED
                          : model.error().orElse("no version in the repository")));
        }
        continue;
      }
      for (VersionStatus version : model.versions()) {
        ModelIndex entry = entry(model, version);
        if (!readyOnly || entry.getState().equals(STATE_READY)) {
          index.addModels(entry);
        }
      }
    }
    return index.build();
  }

  private static ModelIndex entry(ModelStatus model, VersionStatus version) {
    ModelIndex.Builder entry =
        ModelIndex.newBuilder().setName(model.name()).setVersion(Long.toString(version.version()));
    String reason = version.error().orElse("");
    switch (version.state()) {
      case AVAILABLE -> entry.setState(STATE_READY);
      case LOADING, WARMING -> entry.setState(STATE_LOADING).setReason(reason);
      case UNLOADING -> entry.setState(STATE_UNLOADING).setReason(model.unloaded() ? UNLOADED : "");
      case UNLOADED -> entry.setState(STATE_UNAVAILABLE).setReason(UNLOADED);
      case FAILED -> entry.setState(STATE_UNAVAILABLE).setReason(reason);
    }
    return entry.build();
  }

  /**
   * @throws InvalidInputException if the name is missing or too long, or a parameter asks to write
   *     the model
   */
  void load(String model, Map<String, ModelRepositoryParameter> parameters) {
    requireName(model);
    for (String parameter : parameters.keySet()) {
      if (parameter.equals("config") || parameter.startsWith("file:")) {
        throw new InvalidInputException(
            "parameters[\""
                + InferCall.shown(parameter)
                + "\"] is not supported: swinserve loads a model only as its repository holds it");
      }
    }
    registry.load(model);
  }

  /**
   * @throws InvalidInputException if the name is missing or too long
   */
  void unload(String model) {
    requireName(model);
    registry.unload(model);
  }

  private static void requireName(String model) {
    if (model.isEmpty()) {
      throw new InvalidInputException("model_name is required");
    }
    if (model.length() > ModelTarget.MAX_NAME_LENGTH) {
      throw new InvalidInputException(
          "model_name is longer than the limit of "
              + ModelTarget.MAX_NAME_LENGTH
              + " characters ('"
              + InferCall.shown(model)
              + "')");
    }
  }
}
