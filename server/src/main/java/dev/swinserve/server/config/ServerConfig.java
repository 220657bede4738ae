package dev.swinserve.server.config;

import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.SchedulingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the server is configured with; immutable. Read from a YAML file by
 * {@link ServerConfigReader} (see {@code configs/server.yaml} for every key and its default), then
 * overridden from the command line.
 *
 * @param host the address to listen on (an IP address or a name that resolves to one of this
 *     machine's); empty listens on every interface
 * @param port gRPC port; 0 picks any free port
 * @param portFile where to write the bound port once listening (for scripts and tests)
 * @param modelRepository repository root; empty means the default repository, made on first start
 * @param maxInboundMessageBytes largest request message accepted (RESOURCE_EXHAUSTED beyond)
 * @param keepAliveTime ping an idle client connection after this long
 * @param keepAliveTimeout close the connection if the ping is not answered within this
 * @param permitKeepAliveTime the most frequent client pings the server tolerates
 * @param shutdownDrainDelay after SIGTERM, how long the server reports NOT_SERVING while still
 *     accepting and answering calls, so load balancers (Kubernetes endpoints) stop sending first
 * @param shutdownGrace how long in-flight calls may run on after the drain delay
 * @param pollInterval how often the repository is rescanned for new and removed versions
 * @param loadThreads model versions loaded at once
 * @param memoryBudgetMebibytes the most memory loaded versions may take together, by the loader's
 *     estimates (a version that does not fit waits); 0: unlimited
 * @param streamMaxInFlight requests of one ClassifyStream in flight at once
 * @param streamStallTimeout how long a stream's client may stop reading before it is closed
 * @param limits what one request may ask of the server
 */
public record ServerConfig(
    Optional<String> host,
    int port,
    Optional<Path> portFile,
    Optional<Path> modelRepository,
    int maxInboundMessageBytes,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration permitKeepAliveTime,
    Duration shutdownDrainDelay,
    Duration shutdownGrace,
    Duration pollInterval,
    int loadThreads,
    int memoryBudgetMebibytes,
    RuntimeConfig runtime,
    SchedulingConfig scheduling,
    int streamMaxInFlight,
    Duration streamStallTimeout,
    LimitsConfig limits) {

  /** TensorFlow Serving's gRPC port. */
  public static final int DEFAULT_PORT = 8500;

  public ServerConfig {
    if (host.isPresent() && host.get().isBlank()) {
      throw new IllegalArgumentException("host must not be blank; leave it out to listen on every interface");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxInboundMessageBytes < 1024) {
      throw new IllegalArgumentException("max_inbound_message_bytes must be at least 1024, got "
          + maxInboundMessageBytes);
    }
    if (memoryBudgetMebibytes < 0) {
      throw new IllegalArgumentException("registry.memory_budget_mib must not be negative, got " + memoryBudgetMebibytes);
    }
    if (loadThreads < 1 || streamMaxInFlight < 1) {
      throw new IllegalArgumentException("registry.load_threads and streams.max_in_flight must be at least 1");
    }
    if (limits.maxImagesPerRequest() > scheduling.preprocessQueueCapacity()) {
      // Otherwise a request of that many encoded images could never be queued for decoding.
      throw new IllegalArgumentException("'limits.max_images_per_request' (" + limits.maxImagesPerRequest()
          + ") must not exceed 'scheduling.preprocess_queue_capacity' (" + scheduling.preprocessQueueCapacity() + ")");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(Optional.empty(), DEFAULT_PORT, Optional.empty(), Optional.empty(), 64 * 1024 * 1024,
        Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ZERO,
        Duration.ofSeconds(30), Duration.ofSeconds(2), 2, 0, RuntimeConfig.defaults(), SchedulingConfig.defaults(), 16,
        Duration.ofSeconds(30), LimitsConfig.defaults());
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(Optional.of(newHost), port, portFile, modelRepository, maxInboundMessageBytes,
        keepAliveTime, keepAliveTimeout, permitKeepAliveTime, shutdownDrainDelay, shutdownGrace, pollInterval, loadThreads, memoryBudgetMebibytes, runtime,
        scheduling, streamMaxInFlight, streamStallTimeout, limits);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, portFile, modelRepository, maxInboundMessageBytes, keepAliveTime,
        keepAliveTimeout, permitKeepAliveTime, shutdownDrainDelay, shutdownGrace, pollInterval, loadThreads, memoryBudgetMebibytes, runtime, scheduling,
        streamMaxInFlight, streamStallTimeout, limits);
  }

  public ServerConfig withPortFile(Path file) {
    return new ServerConfig(host, port, Optional.of(file), modelRepository, maxInboundMessageBytes, keepAliveTime,
        keepAliveTimeout, permitKeepAliveTime, shutdownDrainDelay, shutdownGrace, pollInterval, loadThreads, memoryBudgetMebibytes, runtime, scheduling,
        streamMaxInFlight, streamStallTimeout, limits);
  }

  public ServerConfig withModelRepository(Path repository) {
    return new ServerConfig(host, port, portFile, Optional.of(repository), maxInboundMessageBytes, keepAliveTime,
        keepAliveTimeout, permitKeepAliveTime, shutdownDrainDelay, shutdownGrace, pollInterval, loadThreads, memoryBudgetMebibytes, runtime, scheduling,
        streamMaxInFlight, streamStallTimeout, limits);
  }
}
