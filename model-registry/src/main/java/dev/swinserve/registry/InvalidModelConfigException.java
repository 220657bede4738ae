package dev.swinserve.registry;

/**
 * A {@code model.yaml} that cannot be used. The message names the file and, where there is one, the
 * offending key, e.g. {@code /models/x/model.yaml: version_policy.latest: must be a positive
 * integer, got -1}.
 */
public class InvalidModelConfigException extends RegistryException {

  public InvalidModelConfigException(String message) {
    super(message);
  }

  public InvalidModelConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
