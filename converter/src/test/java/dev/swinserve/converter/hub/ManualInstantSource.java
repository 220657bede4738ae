package dev.swinserve.converter.hub;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when told to. Not thread-safe. */
final class ManualInstantSource implements InstantSource {

  private Instant now = Instant.parse("2024-01-01T00:00:00Z");

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }
}
