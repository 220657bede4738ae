package dev.swinserve.registry;

/**
 * The model, version or label asked for does not exist, e.g. {@code model 'x' has no version 7
 * (versions: 1, 2)}. Retrying will not help until the repository or the labels change.
 */
public class ModelNotFoundException extends RegistryException {

  public ModelNotFoundException(String message) {
    super(message);
  }
}
