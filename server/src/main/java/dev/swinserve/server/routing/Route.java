package dev.swinserve.server.routing;

import dev.swinserve.registry.ModelHandle;
import dev.swinserve.server.runtime.ClassificationModel;
import java.util.List;
import java.util.Optional;

/**
 * Where one request goes: the primary model version (the caller must close its handle), and when
 * the request came through an endpoint, the endpoint, the arm chosen and the shadows that get a
 * copy of this request.
 */
public record Route(
    ModelHandle<ClassificationModel> primary,
    Optional<String> endpoint,
    String arm,
    List<ModelTarget> shadows) {

  public Route {
    shadows = List.copyOf(shadows);
  }
}
