package dev.swinserve.server.runtime;

/**
 * A model version that cannot be served: its directory is not a SavedModel, an asset is missing or
 * malformed, the signature does not fit the assets, or its {@code model.yaml} runtime section is
 * invalid (found at load, or at warm-up for a batch size that cannot be run). The message names the
 * file or key and what is wrong; the registry shows it as the reason the version FAILED.
 */
public class InvalidModelException extends RuntimeException {

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
