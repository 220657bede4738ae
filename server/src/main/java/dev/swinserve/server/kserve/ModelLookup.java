package dev.swinserve.server.kserve;

import dev.swinserve.api.kserve.ModelConfig;
import dev.swinserve.api.kserve.ModelMetadataResponse;
import dev.swinserve.api.kserve.ModelMetadataResponse.TensorMetadata;
import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.ModelStatus;
import dev.swinserve.registry.ModelUnavailableException;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.registry.VersionState;
import dev.swinserve.registry.VersionStatus;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.Endpoint;
import dev.swinserve.server.routing.InvalidEndpointException;
import dev.swinserve.server.routing.ModelTarget;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ModelReady}, {@code ModelMetadata} and {@code ModelConfig} say about a name, which is
 * looked up as {@code ModelInfer} would route it: an endpoint stands for its arms, anything else is
 * a model.
 *
 * <p>Thread-safe: it reads the router's and the registry's snapshots.
 */
final class ModelLookup {

  /** The platform of a TensorFlow SavedModel in the protocol's list of platforms. */
  static final String PLATFORM = "tensorflow_savedmodel";

  private final ModelRegistry<ClassificationModel> registry;
  private final Router router;

  ModelLookup(ModelRegistry<ClassificationModel> registry, Router router) {
    this.registry = registry;
    this.router = router;
  }

  /**
   * Whether the server is ready: the repository is loaded and every model has a version serving,
   * but those unloaded on request (Triton counts only the models it was asked to serve).
   */
  boolean serverReady() {
    List<ModelStatus> all = registry.list();
    return !all.isEmpty() && all.stream().allMatch(model -> model.unloaded() || model.serving());
  }

  /**
   * Whether a call to {@code name} would find a model to run now: every arm of an endpoint, or the
   * model's chosen version. An unknown name is not ready.
   *
   * @throws InvalidInputException if the version is no number, or given for an endpoint
   */
  boolean ready(String name, String version) {
    for (ModelTarget target : targets(name, version)) {
      try (ModelHandle<ClassificationModel> handle = router.acquire(target)) {
        handle.id(); // acquired: the version serves
      } catch (ModelNotFoundException | ModelUnavailableException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * The tensors of the version a call to {@code name} would run (an endpoint's first arm); the
   * versions that serve now (the one asked for, or none for an endpoint, whose arms choose).
   *
   * @throws ModelNotFoundException if there is no such model or version
   * @throws ModelUnavailableException if it does not serve now
   */
  ModelMetadataResponse metadata(String name, String version) {
    List<ModelTarget> targets = targets(name, version);
    ModelMetadataResponse.Builder metadata =
        ModelMetadataResponse.newBuilder().setName(name).setPlatform(PLATFORM);
    try (ModelHandle<ClassificationModel> handle = router.acquire(targets.get(0))) {
      ClassificationModel model = handle.servable();
      long classes = model.labels().size();
      metadata
          // [N, 1], as Triton describes one string per batch element (its dims may not be
          // empty); perf_analyzer needs a shape past the batch even for an input it leaves out.
          .addInputs(tensor(InferInputs.IMAGES, InferInputs.BYTES, -1, 1))
          .addInputs(
              tensor(InferInputs.PIXELS, InferInputs.FP32, -1, model.height(), model.width(), 3))
          .addOutputs(tensor(InferCall.LOGITS, InferInputs.FP32, -1, classes))
          .addOutputs(tensor(InferCall.PROBABILITIES, InferInputs.FP32, -1, classes));
      if (router.table().endpoint(name).isEmpty()) {
        if (version.isEmpty()) {
          for (VersionStatus status : registry.status(name).versions()) {
            if (status.state() == VersionState.AVAILABLE) {
              metadata.addVersions(Long.toString(status.version()));
            }
          }
        } else {
          metadata.addVersions(Long.toString(handle.id().version()));
        }
      }
    }
    return metadata.build();
  }

  /**
   * The configuration of the version a call to {@code name} would run (an endpoint's first arm's),
   * under {@code name}.
   *
   * @throws ModelNotFoundException if there is no such model or version
   * @throws ModelUnavailableException if it does not serve now
   */
  ModelConfig config(String name, String version) {
    try (ModelHandle<ClassificationModel> handle = router.acquire(targets(name, version).get(0))) {
      return ModelConfigs.of(name, handle.servable());
    }
  }

  private List<ModelTarget> targets(String name, String version) {
    if (name.isEmpty()) {
      throw new InvalidInputException("the model name is required");
    }
    if (name.length() > ModelTarget.MAX_NAME_LENGTH) {
      throw new InvalidInputException(
          "the model name is longer than the limit of "
              + ModelTarget.MAX_NAME_LENGTH
              + " characters ('"
              + InferCall.shown(name)
              + "')");
    }
    VersionSelector selector = InferCall.selector(version, "");
    Optional<Endpoint> endpoint = router.table().endpoint(name);
    if (endpoint.isEmpty()) {
      return List.of(new ModelTarget(name, selector));
    }
    if (!version.isEmpty()) {
      throw new InvalidEndpointException(
          "'" + name + "' is an endpoint: it takes no version; its arms choose the model version");
    }
    return endpoint.get().arms().stream().map(Endpoint.Arm::model).toList();
  }

  private static TensorMetadata tensor(String name, String datatype, long... shape) {
    TensorMetadata.Builder tensor = TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
    for (long size : shape) {
      tensor.addShape(size);
    }
    return tensor.build();
  }
}
