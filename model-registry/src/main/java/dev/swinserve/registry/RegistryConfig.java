package dev.swinserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How the registry runs.
 *
 * @param root the model repository, laid out as {@code <root>/<model>/<version>/}, read by the
 *     {@link FileSystemSource} that {@link ModelRegistry#ModelRegistry(RegistryConfig, ModelLoader,
 *     java.time.Clock)} makes (a registry given another {@link Source} does not read it)
 * @param pollInterval how often that source rescans the repository after {@link
 *     ModelRegistry#start()}; {@link Duration#ZERO} turns polling off (then only {@link
 *     ModelRegistry#reload()} rescans)
 * @param loadThreads how many versions load and warm up at once
 * @param unloadTimeout how long {@link ModelRegistry#close()} waits for open handles and running
 *     loads before it closes servables regardless
 * @param memoryBudgetBytes the most memory the loaded versions may take together, by their loader's
 *     {@link ModelLoader#estimateResources estimates}; a version that does not fit beside those
 *     loaded waits until it does. Empty (the default): unlimited, as in TensorFlow Serving, since
 *     only the operator knows what else the process and the machine must hold
 */
public record RegistryConfig(
    Path root,
    Duration pollInterval,
    int loadThreads,
    Duration unloadTimeout,
    OptionalLong memoryBudgetBytes) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_LOAD_THREADS = 2;
  public static final Duration DEFAULT_UNLOAD_TIMEOUT = Duration.ofSeconds(30);

  public RegistryConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(unloadTimeout, "unloadTimeout");
    Objects.requireNonNull(memoryBudgetBytes, "memoryBudgetBytes");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative, got " + pollInterval);
    }
    if (loadThreads < 1) {
      throw new IllegalArgumentException("loadThreads must be at least 1, got " + loadThreads);
    }
    if (unloadTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "unloadTimeout must not be negative, got " + unloadTimeout);
    }
    if (memoryBudgetBytes.isPresent() && memoryBudgetBytes.getAsLong() < 1) {
      throw new IllegalArgumentException(
          "memoryBudgetBytes must be positive, got " + memoryBudgetBytes.getAsLong());
    }
  }

  /** Without a memory budget. */
  public RegistryConfig(Path root, Duration pollInterval, int loadThreads, Duration unloadTimeout) {
    this(root, pollInterval, loadThreads, unloadTimeout, OptionalLong.empty());
  }

  /**
   * Polls every 2 s, loads on 2 threads, waits up to 30 s for handles when closing, no memory
   * budget.
   */
  public static RegistryConfig defaults(Path root) {
    return new RegistryConfig(
        root, DEFAULT_POLL_INTERVAL, DEFAULT_LOAD_THREADS, DEFAULT_UNLOAD_TIMEOUT);
  }

  /** This configuration with another poll interval; {@link Duration#ZERO} turns polling off. */
  public RegistryConfig withPollInterval(Duration interval) {
    return new RegistryConfig(root, interval, loadThreads, unloadTimeout, memoryBudgetBytes);
  }

  public RegistryConfig withLoadThreads(int threads) {
    return new RegistryConfig(root, pollInterval, threads, unloadTimeout, memoryBudgetBytes);
  }

  public RegistryConfig withUnloadTimeout(Duration timeout) {
    return new RegistryConfig(root, pollInterval, loadThreads, timeout, memoryBudgetBytes);
  }

  /** This configuration with a memory budget of {@code bytes}, at least 1. */
  public RegistryConfig withMemoryBudgetBytes(long bytes) {
    return new RegistryConfig(
        root, pollInterval, loadThreads, unloadTimeout, OptionalLong.of(bytes));
  }
}
