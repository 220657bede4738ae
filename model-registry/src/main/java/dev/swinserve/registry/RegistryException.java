package dev.swinserve.registry;

/**
 * Something the registry could not do. Its subclasses tell a caller which answer to give: {@link
 * ModelNotFoundException} (no such thing) or {@link ModelUnavailableException} (exists, cannot
 * serve now); the message names the model, version or label involved and is fit to show a client.
 */
public class RegistryException extends RuntimeException {

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
