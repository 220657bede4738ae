package dev.swinserve.client.resilience;

import java.time.Duration;
import java.util.Objects;

/** The argument checks of the resilience settings' records. */
final class Checks {

  private Checks() {}

  static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }

  static void atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }

  static void percent(float value, String name) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException(name + " must be within (0, 100], was " + value);
    }
  }
}
