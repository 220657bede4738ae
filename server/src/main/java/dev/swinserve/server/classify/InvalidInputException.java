package dev.swinserve.server.classify;

/** The request itself is wrong (no images, a tensor of the wrong shape): the caller must fix it. */
public class InvalidInputException extends RuntimeException {

  public InvalidInputException(String message) {
    super(message);
  }
}
