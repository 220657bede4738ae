package dev.swinserve.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.SchedulingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a server YAML file into a {@link ServerConfig}. Every key is optional and falls back to
 * {@link ServerConfig#defaults()}; an unknown key, a value of the wrong type or a number outside
 * its key's range is an error that names the file, the key and the range, so a typo never passes
 * silently. Ranges: port 0..65535, max_inbound_message_bytes 1 KiB..1 GiB, keepalive times up to a
 * day (timeout up to an hour), shutdown drain and grace 0..600,000 ms, poll interval up to a day,
 * load threads 1..64, memory budget 0..2^31-1 MiB, preprocess threads 1..1024, preprocess queue 1..1,000,000, stream in-flight
 * 1..10,000, stall timeout 1 ms..1 h; {@code runtime:} as {@link RuntimeConfig} and {@link
 * dev.swinserve.server.scheduling.BatchingConfig} state.
 */
public final class ServerConfigReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** gRPC messages are read whole into memory; 1 GiB is far beyond any image batch. */
  static final int MAX_MESSAGE_BYTES = 1 << 30;
  private static final long HOUR_MILLIS = 3_600_000;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;
  /** A drain delay or grace period longer than this is a typo (Kubernetes' default grace is 30 s). */
  private static final long SHUTDOWN_MAX_MILLIS = 600_000;

  private ServerConfigReader() {}

  public static ServerConfig read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read server config: " + e.getMessage(), e);
    }
    try {
      return parse(root == null || root.isMissingNode() ? YAML.createObjectNode() : root,
          file.toAbsolutePath().getParent());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** @param base relative paths in the file are resolved against this folder */
  public static ServerConfig parse(JsonNode root, Path base) {
    ServerConfig defaults = ServerConfig.defaults();
    Section top = new Section(root, "", Set.of("host", "port", "port_file", "model_repository", "max_inbound_message_bytes",
        "keepalive", "shutdown_drain_delay_ms", "shutdown_grace_ms", "registry", "runtime", "scheduling", "streams",
        "limits"));
    Section keepalive = top.section("keepalive", Set.of("time_ms", "timeout_ms", "permit_time_ms"));
    Section registry = top.section("registry", Set.of("poll_interval_ms", "load_threads", "memory_budget_mib"));
    Section scheduling = top.section("scheduling", Set.of("preprocess_threads", "preprocess_queue_capacity"));
    Section streams = top.section("streams", Set.of("max_in_flight", "stall_timeout_ms"));
    Section limits = top.section("limits", Set.of("max_images_per_request", "max_request_megapixels"));
    SchedulingConfig schedulingDefaults = defaults.scheduling();
    return new ServerConfig(
        top.text("host"),
        top.integer("port", defaults.port(), 0, 65_535),
        top.path("port_file", base),
        top.path("model_repository", base),
        top.integer("max_inbound_message_bytes", defaults.maxInboundMessageBytes(), 1024, MAX_MESSAGE_BYTES),
        keepalive.millis("time_ms", defaults.keepAliveTime(), 1, DAY_MILLIS),
        keepalive.millis("timeout_ms", defaults.keepAliveTimeout(), 1, HOUR_MILLIS),
        keepalive.millis("permit_time_ms", defaults.permitKeepAliveTime(), 0, DAY_MILLIS),
        top.millis("shutdown_drain_delay_ms", defaults.shutdownDrainDelay(), 0, SHUTDOWN_MAX_MILLIS),
        top.millis("shutdown_grace_ms", defaults.shutdownGrace(), 0, SHUTDOWN_MAX_MILLIS),
        registry.millis("poll_interval_ms", defaults.pollInterval(), 0, DAY_MILLIS),
        registry.integer("load_threads", defaults.loadThreads(), 1, 64),
        registry.integer("memory_budget_mib", defaults.memoryBudgetMebibytes(), 0, Integer.MAX_VALUE),
        defaults.runtime().overriddenBy(root.path("runtime")),
        new SchedulingConfig(
            scheduling.integer("preprocess_threads", schedulingDefaults.preprocessThreads(), 1, 1024),
            scheduling.integer("preprocess_queue_capacity", schedulingDefaults.preprocessQueueCapacity(), 1,
                1_000_000)),
        streams.integer("max_in_flight", defaults.streamMaxInFlight(), 1, 10_000),
        streams.millis("stall_timeout_ms", defaults.streamStallTimeout(), 1, HOUR_MILLIS),
        new LimitsConfig(
            limits.integer("max_images_per_request", defaults.limits().maxImagesPerRequest(),
                LimitsConfig.MAX_IMAGES_PER_REQUEST.min(), LimitsConfig.MAX_IMAGES_PER_REQUEST.max()),
            limits.integer("max_request_megapixels", defaults.limits().maxRequestMegapixels(),
                LimitsConfig.MAX_REQUEST_MEGAPIXELS.min(), LimitsConfig.MAX_REQUEST_MEGAPIXELS.max())));
  }

  /** One mapping of the file, with the keys it may hold. */
  private record Section(JsonNode node, String prefix, Set<String> allowed) {

    Section {
      if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
        throw new IllegalArgumentException("'" + prefix + "' must be a mapping");
      }
      for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!allowed.contains(key)) {
          throw new IllegalArgumentException("unknown key '" + prefix + key + "'; known keys here: "
              + String.join(", ", allowed.stream().sorted().toList()));
        }
      }
    }

    Section section(String key, Set<String> keys) {
      return new Section(node.path(key), prefix + key + ".", keys);
    }

    /** An integer in {@code min..max}; the default is not checked (the config's constructors are). */
    int integer(String key, int fallback, long min, long max) {
      JsonNode value = node.path(key);
      if (value.isMissingNode() || value.isNull()) {
        return fallback;
      }
      if (!value.canConvertToInt() || !value.isIntegralNumber()) {
        throw new IllegalArgumentException("'" + prefix + key + "' must be an integer in " + min + ".." + max
            + ", got " + value);
      }
      return new Range(prefix + key, min, max).check(value.intValue());
    }

    /** A whole number of milliseconds in {@code min..max}. */
    Duration millis(String key, Duration fallback, long min, long max) {
      JsonNode value = node.path(key);
      if (value.isMissingNode() || value.isNull()) {
        return fallback;
      }
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw new IllegalArgumentException("'" + prefix + key + "' must be a whole number of milliseconds in "
            + min + ".." + max + ", got " + value);
      }
      return Duration.ofMillis(new Range(prefix + key, min, max).check(value.longValue()));
    }

    Optional<String> text(String key) {
      JsonNode value = node.path(key);
      if (value.isMissingNode() || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        throw new IllegalArgumentException("'" + prefix + key + "' must be a non-empty string, got " + value);
      }
      return Optional.of(value.asText());
    }

    Optional<Path> path(String key, Path base) {
      JsonNode value = node.path(key);
      if (value.isMissingNode() || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        throw new IllegalArgumentException("'" + prefix + key + "' must be a path, got " + value);
      }
      String text = value.asText().startsWith("~/")
          ? System.getProperty("user.home") + value.asText().substring(1) : value.asText();
      return Optional.of(base.resolve(text).normalize());
    }
  }
}
