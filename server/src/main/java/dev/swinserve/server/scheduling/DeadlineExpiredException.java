package dev.swinserve.server.scheduling;

/** The caller's deadline passed before the model ran, so it was not computed. */
public class DeadlineExpiredException extends RuntimeException {

  public DeadlineExpiredException(String message) {
    super(message);
  }
}
