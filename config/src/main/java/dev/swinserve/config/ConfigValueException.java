package dev.swinserve.config;

import java.util.function.Supplier;

/**
 * A value that a config class refuses, naming its key relative to the section being built. The
 * {@link ConfigBinder} turns it into a {@link ConfigException} that adds the file and the line;
 * built by hand (in tests, from the command line), it reads as is: {@code 'max_batch_size' must be
 * in 1..1024, got 4096}.
 */
public class ConfigValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final String problem;

  /**
   * @param key the key as written, dotted from the section being built, e.g. {@code
   *     keepalive.time_ms}
   * @param problem what is wrong, e.g. {@code must be in 1..64, got 0}
   */
  public ConfigValueException(String key, String problem) {
    super("'" + key + "' " + problem);
    this.key = key;
    this.problem = problem;
  }

  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }

  /** This problem as seen from the enclosing section: the key gains {@code section.} in front. */
  public ConfigValueException under(String section) {
    ConfigValueException moved = new ConfigValueException(section + "." + key, problem);
    moved.initCause(this);
    return moved;
  }

  /**
   * Builds a nested section, so that its errors name the key from the enclosing section.
   *
   * @param section the nested section's key, e.g. {@code batching}
   */
  public static <T> T within(String section, Supplier<T> build) {
    try {
      return build.get();
    } catch (ConfigValueException e) {
      throw e.under(section);
    }
  }
}
