package dev.swinserve.format.tensor;

/** A tensor file that cannot be read: the message names the file, the key and what was wrong. */
public class TensorFormatException extends RuntimeException {

  public TensorFormatException(String message) {
    super(message);
  }

  public TensorFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
