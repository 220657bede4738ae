package dev.swinserve.server.routing;

import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.runtime.ClassificationModel;
import jakarta.inject.Inject;

/**
 * Maps what a client asked for (an endpoint name and a version or label) to the model version that
 * answers. One arm for now: the endpoint is the model itself. A/B splits, sticky keys and shadow
 * arms plug in here without touching the gRPC layer.
 */
public final class Router {

  private final ModelRegistry<ClassificationModel> registry;

  @Inject
  public Router(ModelRegistry<ClassificationModel> registry) {
    this.registry = registry;
  }

  /** The caller must close the handle when the call is done with the model. */
  public ModelHandle<ClassificationModel> route(String endpoint, VersionSelector version) {
    return registry.acquire(endpoint, version);
  }
}
