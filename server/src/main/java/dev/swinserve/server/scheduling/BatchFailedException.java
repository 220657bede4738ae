package dev.swinserve.server.scheduling;

/**
 * A batch could not be computed because its batch thread failed (an {@link Error} from the model,
 * or a fault in the scheduler itself): a server fault, not the caller's. The cause is attached.
 */
public final class BatchFailedException extends RuntimeException {

  public BatchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
