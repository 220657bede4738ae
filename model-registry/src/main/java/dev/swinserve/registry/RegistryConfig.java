package dev.swinserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the registry runs.
 *
 * @param root the model repository, laid out as {@code <root>/<model>/<version>/}
 * @param pollInterval how often the repository is rescanned after {@link ModelRegistry#start()};
 *     {@link Duration#ZERO} turns polling off (then only {@link ModelRegistry#reload()} rescans)
 * @param loadThreads how many versions load and warm up at once
 * @param unloadTimeout how long {@link ModelRegistry#close()} waits for open handles and running
 *     loads before it closes servables regardless
 */
public record RegistryConfig(Path root, Duration pollInterval, int loadThreads, Duration unloadTimeout) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_LOAD_THREADS = 2;
  public static final Duration DEFAULT_UNLOAD_TIMEOUT = Duration.ofSeconds(30);

  public RegistryConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(unloadTimeout, "unloadTimeout");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative, got " + pollInterval);
    }
    if (loadThreads < 1) {
      throw new IllegalArgumentException("loadThreads must be at least 1, got " + loadThreads);
    }
    if (unloadTimeout.isNegative()) {
      throw new IllegalArgumentException("unloadTimeout must not be negative, got " + unloadTimeout);
    }
  }

  /** Polls every 2 s, loads on 2 threads, waits up to 30 s for handles when closing. */
  public static RegistryConfig defaults(Path root) {
    return new RegistryConfig(root, DEFAULT_POLL_INTERVAL, DEFAULT_LOAD_THREADS, DEFAULT_UNLOAD_TIMEOUT);
  }

  /** This configuration with another poll interval; {@link Duration#ZERO} turns polling off. */
  public RegistryConfig withPollInterval(Duration interval) {
    return new RegistryConfig(root, interval, loadThreads, unloadTimeout);
  }

  public RegistryConfig withLoadThreads(int threads) {
    return new RegistryConfig(root, pollInterval, threads, unloadTimeout);
  }

  public RegistryConfig withUnloadTimeout(Duration timeout) {
    return new RegistryConfig(root, pollInterval, loadThreads, timeout);
  }
}
