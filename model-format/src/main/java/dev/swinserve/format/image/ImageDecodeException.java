package dev.swinserve.format.image;

/**
 * An encoded image that cannot be turned into a model input: empty, of an unsupported format,
 * larger than the pixel limit, or corrupt. The message says which, in words fit for the caller (a
 * server maps this to INVALID_ARGUMENT).
 */
public class ImageDecodeException extends RuntimeException {

  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
