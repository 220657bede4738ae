package dev.swinserve.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link Source} offers at one moment, per model name: the versions it has, each
 * model's configuration and what it refused. The registry serves, of each model's versions, those
 * the model's {@link VersionPolicy} selects plus those its labels point at. (TensorFlow Serving's
 * sources apply the version policy themselves; here the registry does, so that a label set at run
 * time can keep any offered version loaded.) A model the source no longer offers retires.
 * Immutable.
 *
 * @param models the models offered, by name; a model missing here is gone, unless it is in {@code
 *     unreadable}
 * @param unreadable models the source knows of but could not read this time; the registry leaves
 *     them as they were rather than treating them as removed
 * @param problems what the source refused or could not read above the level of one model (for the
 *     file system: model folders); reported by {@link ModelRegistry#problems()}
 */
public record AspiredVersions(
    Map<String, AspiredModel> models, Set<String> unreadable, List<RepositoryProblem> problems) {

  public AspiredVersions {
    models = Map.copyOf(models);
    unreadable = Set.copyOf(unreadable);
    problems = List.copyOf(problems);
  }

  /** Just these models, nothing unreadable, no problems. */
  public static AspiredVersions of(Map<String, AspiredModel> models) {
    return new AspiredVersions(models, Set.of(), List.of());
  }

  /**
   * One model.
   *
   * @param versions the versions offered, by number
   * @param config the model's configuration ({@link ModelConfig#defaults()} when it has none);
   *     empty when it is broken, which leaves the model on its last good configuration
   * @param configError why the configuration is broken, shown in {@link ModelStatus#error()}
   * @param configLocation where the configuration lives, named in messages (for the file system:
   *     the {@code model.yaml} path)
   * @param problems what was refused or unreadable inside the model, shown in {@link
   *     ModelStatus#problems()} (refused versions are not in {@code versions})
   */
  public record AspiredModel(
      String name,
      Map<Long, AspiredVersion> versions,
      Optional<ModelConfig> config,
      Optional<String> configError,
      String configLocation,
      List<RepositoryProblem> problems) {

    public AspiredModel {
      Objects.requireNonNull(name, "name");
      versions = Map.copyOf(versions);
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(configError, "configError");
      Objects.requireNonNull(configLocation, "configLocation");
      problems = List.copyOf(problems);
    }
  }

  /**
   * One version.
   *
   * @param location what the {@link ModelLoader} loads it from
   * @param revision what identifies its contents cheaply (for the file system: the folder's file
   *     key and modification time, which change when it is replaced or entries are added or
   *     removed); a version that FAILED is tried again once its revision changes, and not before
   */
  public record AspiredVersion(long version, Path location, Object revision) {

    public AspiredVersion {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(revision, "revision");
    }

    boolean sameRevisionAs(AspiredVersion other) {
      return revision.equals(other.revision);
    }
  }
}
