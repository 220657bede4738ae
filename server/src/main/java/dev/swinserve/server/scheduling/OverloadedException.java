package dev.swinserve.server.scheduling;

/** A bounded queue is full; the call was not computed. Retrying later may succeed. */
public class OverloadedException extends RuntimeException {

  public OverloadedException(String message) {
    super(message);
  }
}
