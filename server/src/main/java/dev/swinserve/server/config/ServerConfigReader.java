package dev.swinserve.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.swinserve.server.scheduling.SchedulingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a server YAML file into a {@link ServerConfig}. Every key is optional and falls back to
 * {@link ServerConfig#defaults()}; an unknown key or a value of the wrong type is an error that
 * names the key, so a typo never passes silently.
 */
public final class ServerConfigReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
    Section registry = top.section("registry", Set.of("poll_interval_ms", "load_threads"));
    Section scheduling = top.section("scheduling", Set.of("preprocess_threads", "preprocess_queue_capacity"));
    Section streams = top.section("streams", Set.of("max_in_flight", "stall_timeout_ms"));
    Section limits = top.section("limits", Set.of("max_images_per_request", "max_request_megapixels"));
    SchedulingConfig schedulingDefaults = defaults.scheduling();
    return new ServerConfig(
        top.text("host"),
        top.integer("port", defaults.port()),
        top.path("port_file", base),
        top.path("model_repository", base),
        top.integer("max_inbound_message_bytes", defaults.maxInboundMessageBytes()),
        keepalive.millis("time_ms", defaults.keepAliveTime()),
        keepalive.millis("timeout_ms", defaults.keepAliveTimeout()),
        keepalive.millis("permit_time_ms", defaults.permitKeepAliveTime()),
        top.millis("shutdown_drain_delay_ms", defaults.shutdownDrainDelay()),
        top.millis("shutdown_grace_ms", defaults.shutdownGrace()),
        registry.millis("poll_interval_ms", defaults.pollInterval()),
        registry.integer("load_threads", defaults.loadThreads()),
        defaults.runtime().overriddenBy(root.path("runtime")),
        new SchedulingConfig(
            scheduling.integer("preprocess_threads", schedulingDefaults.preprocessThreads()),
            scheduling.integer("preprocess_queue_capacity", schedulingDefaults.preprocessQueueCapacity())),
        streams.integer("max_in_flight", defaults.streamMaxInFlight()),
        streams.millis("stall_timeout_ms", defaults.streamStallTimeout()),
        new LimitsConfig(
            limits.integer("max_images_per_request", defaults.limits().maxImagesPerRequest()),
            limits.integer("max_request_megapixels", defaults.limits().maxRequestMegapixels())));
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

    int integer(String key, int fallback) {
      JsonNode value = node.path(key);
      if (value.isMissingNode() || value.isNull()) {
        return fallback;
      }
      if (!value.canConvertToInt() || !value.isIntegralNumber()) {
        throw new IllegalArgumentException("'" + prefix + key + "' must be an integer, got " + value);
      }
      return value.intValue();
    }

    Duration millis(String key, Duration fallback) {
      JsonNode value = node.path(key);
      if (value.isMissingNode() || value.isNull()) {
        return fallback;
      }
      if (!value.isIntegralNumber() || value.longValue() < 0) {
        throw new IllegalArgumentException("'" + prefix + key + "' must be a non-negative number of milliseconds, got "
            + value);
      }
      return Duration.ofMillis(value.longValue());
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
