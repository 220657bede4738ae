package dev.swinserve.server.routing;

/** An endpoint definition that cannot be served: bad name, weights or shares. */
public final class InvalidEndpointException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidEndpointException(String message) {
    super(message);
  }
}
