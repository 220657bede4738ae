package dev.swinserve.server.lifecycle;

import java.util.List;

/**
 * A component that writes {@code start <name>} and {@code close <name>} to a shared list, and fails
 * when told.
 */
final class RecordingComponent implements Managed {

  private final String name;
  private final List<String> events;
  private RuntimeException startFailure;
  private RuntimeException closeFailure;

  RecordingComponent(String name, List<String> events) {
    this.name = name;
    this.events = events;
  }

  RecordingComponent failingToStart() {
    startFailure = new IllegalStateException(name + " cannot start");
    return this;
  }

  RecordingComponent failingToClose() {
    closeFailure = new IllegalStateException(name + " cannot close");
    return this;
  }

  @Override
  public void start() {
    events.add("start " + name);
    if (startFailure != null) {
      throw startFailure;
    }
  }

  @Override
  public void close() {
    events.add("close " + name);
    if (closeFailure != null) {
      throw closeFailure;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
