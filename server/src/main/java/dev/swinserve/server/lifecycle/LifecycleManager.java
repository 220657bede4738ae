package dev.swinserve.server.lifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Starts components in the order they were registered and stops them in reverse. Registered as
 * Guice creates them ({@link LifecycleModule}), a component comes after everything it depends on:
 * it starts after them and stops before them, so no order is kept by hand.
 *
 * <p>Stopping closes every component that started, even when some fail to close: the first failure
 * is thrown at the end, with the others suppressed. A start that fails stops the components started
 * before it, the same way, and its failure is thrown with theirs suppressed.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} run one at a time; a second {@link #stop()}
 * waits for the first and returns.
 */
public final class LifecycleManager {

  private enum State {
    NEW,
    STARTING,
    STARTED,
    STOPPED
  }

  private final List<Managed> components = new ArrayList<>();
  private final Set<Managed> registered = Collections.newSetFromMap(new IdentityHashMap<>());

  /** How many of {@link #components}, from the first, have started. */
  private int started;

  private State state = State.NEW;

  /**
   * Adds a component after those registered so far; registering it again changes nothing.
   *
   * @throws IllegalStateException once {@link #start()} or {@link #stop()} was called: a component
   *     created that late would start out of order
   */
  public synchronized void register(Managed component) {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "cannot manage "
              + component
              + ": the lifecycle is already "
              + state.name().toLowerCase(Locale.ROOT));
    }
    if (registered.add(component)) {
      components.add(component);
    }
  }

  /** Every component registered, in registration order: the order they start in. */
  public synchronized List<Managed> components() {
    return List.copyOf(components);
  }

  /**
   * Starts every component in registration order and returns when all have started.
   *
   * @throws Exception what the first failing {@link Managed#start()} threw, after the components
   *     started before it were stopped (their failures suppressed in it)
   * @throws IllegalStateException if already started or stopped
   */
  public synchronized void start() throws Exception {
    if (state != State.NEW) {
      throw new IllegalStateException("the lifecycle was already started or stopped");
    }
    state = State.STARTING;
    for (Managed component : components) {
      try {
        component.start();
      } catch (Exception | Error failure) {
        stopStarted(failure);
        throw failure;
      }
      started++;
    }
    state = State.STARTED;
  }

  /**
   * Closes every started component, in reverse registration order; never started, every registered
   * one (it may hold what its constructor took). Idempotent.
   *
   * @throws Exception the first {@link Managed#close()} failure, the others suppressed in it, once
   *     every component was closed
   */
  public synchronized void stop() throws Exception {
    if (state == State.STOPPED) {
      return;
    }
    if (state == State.NEW) {
      started = components.size();
    }
    Throwable failure = stopStarted(null);
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw (Exception) failure;
    }
  }

  /**
   * @param first a failure already met, in which every close failure is then suppressed; or null
   * @return {@code first}, or else the first close failure, the later ones suppressed in it; null
   *     if none
   */
  private Throwable stopStarted(Throwable first) {
    state = State.STOPPED;
    for (int i = started - 1; i >= 0; i--) {
      try {
        components.get(i).close();
      } catch (Exception | Error failure) {
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(failure);
        }
      }
    }
    started = 0;
    return first;
  }
}
