package dev.swinserve.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a reader needs, frozen at one moment: the registry publishes a new snapshot after
 * every change, and {@link ModelRegistry#acquire}, {@code status} and {@code list} read the
 * latest one without taking a lock. Immutable.
 */
final class RegistrySnapshot<S extends Servable> {

  private static final int NAMES_IN_MESSAGES = 20;

  private final Map<String, ModelView<S>> models;
  private final boolean closed;

  private RegistrySnapshot(Map<String, ModelView<S>> models, boolean closed) {
    this.models = Collections.unmodifiableMap(models);
    this.closed = closed;
  }

  static <S extends Servable> RegistrySnapshot<S> empty() {
    return new RegistrySnapshot<>(new TreeMap<>(), false);
  }

  static <S extends Servable> RegistrySnapshot<S> of(Collection<ModelEntry<S>> entries, boolean closed) {
    Map<String, ModelView<S>> models = new TreeMap<>();
    for (ModelEntry<S> entry : entries) {
      models.put(entry.name(), ModelView.of(entry));
    }
    return new RegistrySnapshot<>(models, closed);
  }

  /** @throws ModelNotFoundException naming the models there are */
  ModelView<S> model(String name) {
    ModelView<S> model = models.get(name);
    if (model == null) {
      throw new ModelNotFoundException("model '" + name + "' not found (" + modelList() + ")");
    }
    return model;
  }

  /** See {@link ModelView#resolve}; also refuses everything once the registry is closed. */
  ManagedVersion<S> resolve(String model, VersionSelector selector) {
    if (closed) {
      throw new ModelUnavailableException("the model registry is closed");
    }
    return model(model).resolve(selector);
  }

  boolean serving(String model) {
    ModelView<S> view = models.get(model);
    return view != null && !view.available().isEmpty();
  }

  Collection<String> names() {
    return models.keySet();
  }

  List<ModelStatus> statuses() {
    return models.values().stream().map(ModelView::status).toList();
  }

  private String modelList() {
    if (models.isEmpty()) {
      return "the repository has no models";
    }
    List<String> names = List.copyOf(models.keySet());
    String shown = String.join(", ", names.subList(0, Math.min(names.size(), NAMES_IN_MESSAGES)));
    return "models: " + shown + (names.size() > NAMES_IN_MESSAGES ? ", ..." : "");
  }
}
