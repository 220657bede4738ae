package dev.swinserve.registry;

/**
 * A name a caller gave breaks the naming rules, e.g. a label that is not {@code
 * [a-z0-9][a-z0-9_-]*}: the caller must fix it, and no retry will help.
 */
public class InvalidNameException extends RegistryException {

  public InvalidNameException(String message) {
    super(message);
  }
}
