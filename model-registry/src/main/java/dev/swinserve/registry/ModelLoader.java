package dev.swinserve.registry;

import java.nio.file.Path;

/**
 * Loads one model version from its directory. The registry defines this interface and never
 * implements it: the server provides the TensorFlow loader, tests provide fakes.
 *
 * @param <S> what a loaded version is
 */
public interface ModelLoader<S extends Servable> {

  /**
   * @param versionDirectory {@code <repository>/<name>/<version>/}
   * @param config the model's configuration (its {@code model.yaml}, or defaults)
   * @throws Exception any failure; the version becomes FAILED with the exception's message
   */
  S load(ModelVersionId id, Path versionDirectory, ModelConfig config) throws Exception;
}
