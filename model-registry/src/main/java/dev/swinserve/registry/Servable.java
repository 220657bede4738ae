package dev.swinserve.registry;

/**
 * A loaded model version, whatever runs it. The registry owns it: it calls {@link #warmUp()} once
 * before the version takes traffic and {@link #close()} once after the last handle on it is
 * released. Implementations must be safe for concurrent use between those two calls.
 */
public interface Servable extends AutoCloseable {

  /**
   * Runs the model at every input shape it will be called with, so the first real request pays no
   * one-time cost. An exception fails the version (state FAILED, with the message as reason).
   */
  void warmUp() throws Exception;

  /** Releases everything the servable holds (native memory included). Never throws. */
  @Override
  void close();
}
