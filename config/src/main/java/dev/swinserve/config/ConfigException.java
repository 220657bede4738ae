package dev.swinserve.config;

import java.util.OptionalInt;

/**
 * A configuration file that cannot be used. The message names the file, the key and, where the
 * parser knows it, the line: {@code /etc/swinserve/server.yaml: 'keepalive.time_ms' must be in
 * 1..86400000, got 0 (line 12)}.
 */
public class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final String key;
  private final OptionalInt line;

  /**
   * @param source the file (or what stands for it), as the message shows it; empty where the caller
   *     names the file itself
   * @param key the key at fault, dotted from the file's top; empty for the whole file
   * @param line the line of the key in the file (1-based), if known
   * @param problem what is wrong
   */
  public ConfigException(
      String source, String key, OptionalInt line, String problem, Throwable cause) {
    super(
        (source.isEmpty() ? "" : source + ": ")
            + (key.isEmpty() ? "" : "'" + key + "' ")
            + problem
            + (line.isPresent() ? " (line " + line.getAsInt() + ")" : ""),
        cause);
    this.source = source;
    this.key = key;
    this.line = line;
  }

  public String source() {
    return source;
  }

  public String key() {
    return key;
  }

  public OptionalInt line() {
    return line;
  }
}
