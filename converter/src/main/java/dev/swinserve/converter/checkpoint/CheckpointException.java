package dev.swinserve.converter.checkpoint;

/** A Hugging Face checkpoint folder that cannot be loaded: the message names the folder or file. */
public class CheckpointException extends RuntimeException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
