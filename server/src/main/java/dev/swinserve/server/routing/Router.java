package dev.swinserve.server.routing;

import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.runtime.ClassificationModel;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * Maps what a client asked for to the model version that answers. A name that is an endpoint picks
 * one of the endpoint's arms: with a routing key, by a stable hash of the key (the same key gets
 * the same arm while the split is unchanged); without one, by a random draw. Each shadow is chosen
 * with probability {@code share}. A name that is no endpoint is a model, addressed with the
 * request's version or label as before; an endpoint takes no version or label, so an endpoint hides
 * a model of the same name.
 *
 * <p>Thread-safe. The routing table is an immutable snapshot swapped atomically: a request sees
 * either the old or the new table, never a mix.
 */
public final class Router {

  private final ModelSource models;
  private final DoubleSupplier random;
  private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.empty());

  @Inject
  public Router(ModelRegistry<ClassificationModel> registry) {
    this(registry::acquire, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random draws in [0, 1), for requests without a routing key and for shadow shares
   */
  public Router(ModelSource models, DoubleSupplier random) {
    this.models = models;
    this.random = random;
  }

  /**
   * @param routingKey empty for none
   * @throws InvalidEndpointException if {@code name} is an endpoint and a version or label is given
   */
  public Route route(String name, VersionSelector version, String routingKey) {
    Optional<Endpoint> found = table.get().endpoint(name);
    if (found.isEmpty()) {
      return new Route(models.acquire(name, version), Optional.empty(), name, List.of());
    }
    Endpoint endpoint = found.get();
    if (!(version instanceof VersionSelector.Default)) {
      throw new InvalidEndpointException(
          "'"
              + name
              + "' is an endpoint: it takes no version or label ("
              + version
              + " given); its arms choose the model version");
    }
    double point =
        routingKey.isEmpty() ? random.getAsDouble() : RoutingTable.stickyPoint(name, routingKey);
    ModelTarget arm = RoutingTable.pick(endpoint, point).model();
    List<ModelTarget> shadows = new ArrayList<>();
    for (Endpoint.Shadow shadow : endpoint.shadows()) {
      if (shadow.share() > 0 && random.getAsDouble() < shadow.share()) {
        shadows.add(shadow.model());
      }
    }
    ModelHandle<ClassificationModel> handle = models.acquire(arm.model(), arm.version());
    return new Route(handle, Optional.of(name), arm.toString(), shadows);
  }

  /** The model a shadow copy goes to; the caller must close the handle. */
  public ModelHandle<ClassificationModel> acquire(ModelTarget target) {
    return models.acquire(target.model(), target.version());
  }

  public RoutingTable table() {
    return table.get();
  }

  /**
   * @throws EndpointNotFoundException if there is none of that name
   * @throws InvalidEndpointException if the name is longer than any endpoint's can be
   */
  public Endpoint endpoint(String name) {
    Endpoint.requireBoundedName(name);
    return table.get().endpoint(name).orElseThrow(() -> new EndpointNotFoundException(name));
  }

  /** Creates or replaces one endpoint; requests see the old or the new one, never a mix. */
  public void set(Endpoint endpoint) {
    update(current -> current.with(endpoint));
  }

  /**
   * @throws EndpointNotFoundException if there is none of that name
   * @throws InvalidEndpointException if the name is longer than any endpoint's can be
   */
  public void delete(String name) {
    Endpoint.requireBoundedName(name);
    update(
        current -> {
          if (current.endpoint(name).isEmpty()) {
            throw new EndpointNotFoundException(name);
          }
          return current.without(name);
        });
  }

  /** Replaces the table atomically with {@code change} applied to the current one. */
  public RoutingTable update(UnaryOperator<RoutingTable> change) {
    return table.updateAndGet(change);
  }
}
