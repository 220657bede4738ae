package dev.swinserve.registry;

import java.nio.file.Path;

/**
 * Loads one model version from its location. The registry defines this interface and never
 * implements it: the server provides the TensorFlow loader, tests provide fakes.
 *
 * @param <S> what a loaded version is
 */
public interface ModelLoader<S extends Servable> {

  /**
   * @param versionDirectory where the {@link Source} says the version is (for the repository on
   *     disk: {@code <repository>/<name>/<version>/})
   * @param config the model's configuration (its {@code model.yaml}, or defaults)
   * @throws Exception any failure; the version becomes FAILED with the exception's message
   */
  S load(ModelVersionId id, Path versionDirectory, ModelConfig config) throws Exception;

  /**
   * How many bytes of memory the version will hold once loaded, after TensorFlow Serving's {@code
   * Loader::EstimateResources}; asked before {@link #load} only when the registry has a {@link
   * RegistryConfig#memoryBudgetBytes() memory budget}, and may be asked more than once. Should be
   * cheap (no loading) and, if anything, too high rather than too low. This default says 0: the
   * version always fits.
   *
   * @throws Exception any failure; the version becomes FAILED with the exception's message, as if
   *     its load had failed
   */
  default long estimateResources(Path versionDirectory, ModelConfig config) throws Exception {
    return 0;
  }
}
