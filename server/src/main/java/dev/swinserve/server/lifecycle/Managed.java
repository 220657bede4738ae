package dev.swinserve.server.lifecycle;

/**
 * A component with a life, run by the {@link LifecycleManager}: {@link #start()} after every
 * component it depends on has started, {@link #close()} before any of them stops. Components that
 * Guice creates are registered as they are created (see {@link LifecycleModule}), so a component
 * declares its life by implementing this interface, nothing more.
 */
public interface Managed extends AutoCloseable {

  /**
   * Begins the component's work; called at most once. One that fails must leave nothing running: it
   * is not closed, while the components started before it are. By default nothing.
   */
  default void start() throws Exception {}

  /**
   * Ends the component's work and releases what it holds; called at most once, and not after a
   * failed {@link #start()}. The components it depends on are still running.
   */
  @Override
  void close() throws Exception;
}
