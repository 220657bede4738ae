package dev.swinserve.config;

import java.time.Duration;

/**
 * The inclusive range a numeric setting may take, declared once next to the setting, with the
 * setting's key, so that an error says which key is wrong and what it may be. Immutable.
 *
 * @param key the setting as written in its file, relative to its section, e.g. {@code
 *     intra_op_threads}
 */
public record Range(String key, long min, long max) {

  public Range {
    if (min > max) {
      throw new IllegalArgumentException("empty range " + min + ".." + max + " for " + key);
    }
  }

  /**
   * @return {@code value}
   * @throws ConfigValueException naming the key and the range if {@code value} is outside it
   */
  public int check(int value) {
    check((long) value);
    return value;
  }

  /**
   * @see #check(int)
   */
  public long check(long value) {
    if (value < min || value > max) {
      throw new ConfigValueException(key, "must be in " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  /**
   * Checks a whole number of milliseconds (this range is in milliseconds) and makes it a duration.
   */
  public Duration millis(long millis) {
    return Duration.ofMillis(check(millis));
  }

  /** Checks {@code value} in milliseconds; this range is in milliseconds. */
  public Duration checkMillis(Duration value) {
    if (value.compareTo(Duration.ofMillis(min)) < 0
        || value.compareTo(Duration.ofMillis(max)) > 0) {
      throw new ConfigValueException(
          key, "must be in " + min + ".." + max + " ms, got " + value.toNanos() / 1e6 + " ms");
    }
    return value;
  }

  /** Checks a number of milliseconds that may have a fraction (NaN and infinities are outside). */
  public double checkMillis(double millis) {
    if (!(millis >= min && millis <= max)) {
      throw new ConfigValueException(key, "must be in " + min + ".." + max + " ms, got " + millis);
    }
    return millis;
  }
}
