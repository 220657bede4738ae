package dev.swinserve.registry;

/**
 * A run-time change that the model's {@code model.yaml} overrules, e.g. removing a label that the
 * file sets: the file has to change instead. The message names the file.
 */
public final class LabelInConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LabelInConfigException(String message) {
    super(message);
  }
}
