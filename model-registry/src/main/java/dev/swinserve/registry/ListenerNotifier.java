package dev.swinserve.registry;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Delivers registry events to listeners in the order they happened, one at a time, without the
 * registry's lock. The registry stages a change's events while it holds its lock (which fixes their
 * order), {@link #commit() commits} them once the change's snapshot is published, and calls {@link
 * #deliver()} after releasing the lock; whichever thread gets there first delivers everything
 * committed, including events other threads commit meanwhile. So a listener never hears of a change
 * that the registry does not show yet. Thread-safe, with staging and committing under the
 * registry's lock.
 */
final class ListenerNotifier {

  private static final System.Logger LOG = System.getLogger(ListenerNotifier.class.getName());

  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  /** Events of the change in progress; guarded by the registry's lock. */
  private final List<Consumer<RegistryListener>> staged = new ArrayList<>();

  private final Queue<Consumer<RegistryListener>> pending = new ConcurrentLinkedQueue<>();
  // Not a lock, so that a listener calling back into the registry queues rather than re-enters.
  private final AtomicBoolean delivering = new AtomicBoolean();

  void add(RegistryListener listener) {
    listeners.add(listener);
  }

  void servingChanged(String model, boolean serving) {
    staged.add(listener -> listener.servingChanged(model, serving));
  }

  void versionStateChanged(ModelVersionId version, VersionState state) {
    staged.add(listener -> listener.versionStateChanged(version, state));
  }

  /** Makes the staged events deliverable: called once the change they belong to is published. */
  void commit() {
    pending.addAll(staged);
    staged.clear();
  }

  /** Queues a serving change for every model whose serving flag differs between two snapshots. */
  void servingChanges(RegistrySnapshot<?> before, RegistrySnapshot<?> after) {
    for (String model : before.names()) {
      if (before.serving(model) && !after.serving(model)) {
        servingChanged(model, false);
      }
    }
    for (String model : after.names()) {
      if (after.serving(model) && !before.serving(model)) {
        servingChanged(model, true);
      }
    }
  }

  void deliver() {
    // Re-check after letting go: another thread may have queued while we delivered and, finding
    // us busy, left its events to us.
    while (!pending.isEmpty() && delivering.compareAndSet(false, true)) {
      try {
        Consumer<RegistryListener> event;
        while ((event = pending.poll()) != null) {
          for (RegistryListener listener : listeners) {
            try {
              event.accept(listener);
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "registry listener " + listener + " failed", e);
            }
          }
        }
      } finally {
        delivering.set(false);
      }
    }
  }
}
