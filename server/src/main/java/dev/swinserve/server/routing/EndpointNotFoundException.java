package dev.swinserve.server.routing;

/** A request to read or delete an endpoint that is not defined. */
public final class EndpointNotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EndpointNotFoundException(String name) {
    super("no endpoint " + Endpoint.shown(name));
  }
}
