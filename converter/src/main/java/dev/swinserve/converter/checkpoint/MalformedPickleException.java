package dev.swinserve.converter.checkpoint;

/**
 * A pickle program that cannot or must not be run. Thrown by the pickle machine's parts, which do
 * not know the file they read; {@link PickleReader} adds the file and byte position and rethrows it
 * as a {@link dev.swinserve.format.tensor.TensorFormatException}.
 */
final class MalformedPickleException extends RuntimeException {

  MalformedPickleException(String message) {
    super(message);
  }
}
