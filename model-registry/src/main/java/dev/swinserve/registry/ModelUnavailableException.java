package dev.swinserve.registry;

/**
 * The model or version exists but takes no traffic now: it is still loading or warming up, it
 * failed (the message carries the reason), it is being retired, or the model has no available
 * version at all. Retrying later may succeed.
 */
public class ModelUnavailableException extends RegistryException {

  public ModelUnavailableException(String message) {
    super(message);
  }
}
