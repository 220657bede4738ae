package dev.swinserve.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records registry events as strings, {@code "m serving"}, {@code "m not serving"} and {@code "m@2
 * AVAILABLE"}, and lets a test wait for one. Thread-safe.
 */
final class RecordingListener implements RegistryListener {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition recorded = lock.newCondition();
  private final List<String> events = new ArrayList<>();

  @Override
  public void servingChanged(String model, boolean serving) {
    record(model + (serving ? " serving" : " not serving"));
  }

  @Override
  public void versionStateChanged(ModelVersionId version, VersionState state) {
    record(version + " " + state);
  }

  List<String> events() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /** The serving changes only. */
  List<String> servingEvents() {
    return events().stream().filter(event -> event.endsWith("serving")).toList();
  }

  /** Waits until {@code event} has been recorded; false if it was not within 10 s. */
  boolean await(String event) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.SECONDS.toNanos(10);
      while (!events.contains(event)) {
        if (nanos <= 0) {
          return false;
        }
        nanos = recorded.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void record(String event) {
    lock.lock();
    try {
      events.add(event);
      recorded.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
