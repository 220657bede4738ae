package dev.swinserve.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a reader needs, frozen at one moment: the registry publishes a new snapshot after
 * every change, and {@link ModelRegistry#acquire}, {@code status} and {@code list} read the latest
 * one without taking a lock. Immutable.
 */
final class RegistrySnapshot<S extends Servable> {

  private final Map<String, ModelView<S>> models;
  private final boolean closed;
  private final List<RepositoryProblem> problems;

  private RegistrySnapshot(
      Map<String, ModelView<S>> models, boolean closed, List<RepositoryProblem> problems) {
    this.models = Collections.unmodifiableMap(models);
    this.closed = closed;
    this.problems = List.copyOf(problems);
  }

  static <S extends Servable> RegistrySnapshot<S> empty() {
    return new RegistrySnapshot<>(new TreeMap<>(), false, List.of());
  }

  /**
   * @param problems what the source last refused or could not read above the level of one model
   */
  static <S extends Servable> RegistrySnapshot<S> of(
      Collection<ModelEntry<S>> entries, boolean closed, List<RepositoryProblem> problems) {
    Map<String, ModelView<S>> models = new TreeMap<>();
    for (ModelEntry<S> entry : entries) {
      models.put(entry.name(), ModelView.of(entry));
    }
    return new RegistrySnapshot<>(models, closed, problems);
  }

  /**
   * @throws ModelNotFoundException naming the models there are
   */
  ModelView<S> model(String name) {
    ModelView<S> model = models.get(name);
    if (model == null) {
      throw notFound(name);
    }
    return model;
  }

  /** The error for a model there is not, naming the models there are. */
  ModelNotFoundException notFound(String name) {
    return new ModelNotFoundException(
        "model " + Names.quoted(name) + " not found (" + modelList() + ")");
  }

  /** See {@link ModelView#resolve}; also refuses everything once the registry is closed. */
  ManagedVersion<S> resolve(String model, VersionSelector selector) {
    if (closed) {
      throw new ModelUnavailableException("the model registry is closed");
    }
    return model(model).resolve(selector);
  }

  /** Whether a request for {@code model} that names no version would be served. */
  boolean serving(String model) {
    ModelView<S> view = models.get(model);
    return view != null && view.status().serving();
  }

  List<RepositoryProblem> problems() {
    return problems;
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
    return "models: " + Names.list(models.keySet());
  }
}
