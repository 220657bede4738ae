package dev.swinserve.server.config;

import dev.swinserve.config.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Who may call what: the principals file (names, roles, hashed bearer tokens, client certificate
 * subjects; see {@code dev.swinserve.server.security.Principals}) and how often it is read again.
 * Without it every caller may make every call. Immutable.
 *
 * @param principalsFile the principals file
 * @param reloadInterval how often the file is checked for changes; zero: never
 */
public record AuthConfig(Path principalsFile, Duration reloadInterval) {

  public static final Range RELOAD_INTERVAL = new Range("auth.reload_interval_ms", 0, 86_400_000);

  public AuthConfig {
    Objects.requireNonNull(principalsFile, "principalsFile");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
  }
}
