package dev.swinserve.server.routing;

import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.runtime.ClassificationModel;

/** Where the router gets model versions: the registry in production, fakes in tests. */
@FunctionalInterface
public interface ModelSource {

  /** The caller must close the handle; throws the registry's not-found and unavailable errors. */
  ModelHandle<ClassificationModel> acquire(String model, VersionSelector version);
}
