package dev.swinserve.server.config;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.swinserve.config.ConfigValueException;
import dev.swinserve.config.Range;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchingConfig;
import dev.swinserve.server.scheduling.SchedulingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server is configured with; immutable. Made by a {@link Builder}, which holds every
 * key's default and range: {@link ServerConfigReader} binds a YAML file onto it (see {@code
 * configs/server.yaml} for every key and its default), the command line overrides a few keys
 * ({@link #toBuilder()}).
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
 * @param runtime how every model runs, unless its {@code model.yaml} says otherwise
 * @param batching how every model's calls are batched, unless its {@code model.yaml} says otherwise
 * @param scheduling the image decoding pool
 * @param streamMaxInFlight requests of one ClassifyStream in flight at once
 * @param streamStallTimeout how long a stream's client may stop reading before it is closed
 * @param limits what one request may ask of the server
 * @param http the HTTP/REST front door
 * @param tls TLS on every port; empty: plaintext
 * @param connections what one client connection may hold and how long it lives
 * @param healthPort a plaintext port serving only health, for probes that cannot speak TLS
 * @param reflection whether gRPC server reflection is served (tools such as grpcurl use it)
 * @param auth who may call what; empty: every caller may make every call
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
    BatchingConfig batching,
    SchedulingConfig scheduling,
    int streamMaxInFlight,
    Duration streamStallTimeout,
    LimitsConfig limits,
    HttpConfig http,
    Optional<TlsConfig> tls,
    ConnectionsConfig connections,
    HealthPortConfig healthPort,
    boolean reflection,
    Optional<AuthConfig> auth) {

  /** TensorFlow Serving's gRPC port. */
  public static final int DEFAULT_PORT = 8500;

  private static final long HOUR_MILLIS = 3_600_000;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  /**
   * A drain delay or grace period longer than this is a typo (Kubernetes' default grace is 30 s).
   */
  private static final long SHUTDOWN_MAX_MILLIS = 600_000;

  public static final Range PORT = new Range("port", 0, 65_535);

  /** gRPC messages are read whole into memory; 1 GiB is far beyond any image batch. */
  public static final Range MAX_INBOUND_MESSAGE_BYTES =
      new Range("max_inbound_message_bytes", 1024, 1 << 30);

  public static final Range KEEPALIVE_TIME = new Range("keepalive.time_ms", 1, DAY_MILLIS);
  public static final Range KEEPALIVE_TIMEOUT = new Range("keepalive.timeout_ms", 1, HOUR_MILLIS);
  public static final Range PERMIT_KEEPALIVE_TIME =
      new Range("keepalive.permit_time_ms", 0, DAY_MILLIS);
  public static final Range SHUTDOWN_DRAIN_DELAY =
      new Range("shutdown_drain_delay_ms", 0, SHUTDOWN_MAX_MILLIS);
  public static final Range SHUTDOWN_GRACE = new Range("shutdown_grace_ms", 0, SHUTDOWN_MAX_MILLIS);
  public static final Range POLL_INTERVAL = new Range("registry.poll_interval_ms", 0, DAY_MILLIS);
  public static final Range LOAD_THREADS = new Range("registry.load_threads", 1, 64);
  public static final Range MEMORY_BUDGET =
      new Range("registry.memory_budget_mib", 0, Integer.MAX_VALUE);
  public static final Range STREAM_MAX_IN_FLIGHT = new Range("streams.max_in_flight", 1, 10_000);
  public static final Range STREAM_STALL_TIMEOUT =
      new Range("streams.stall_timeout_ms", 1, HOUR_MILLIS);

  public ServerConfig {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(scheduling, "scheduling");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(healthPort, "healthPort");
    Objects.requireNonNull(auth, "auth");
  }

  /** Every key at its default. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding every default; relative paths are kept as given. */
  public static Builder builder() {
    return new Builder(Path.of(""));
  }

  /** A builder holding this configuration, e.g. to override keys from the command line. */
  public Builder toBuilder() {
    Builder builder = builder();
    builder.host = host.orElse(null);
    builder.port = port;
    builder.portFile = portFile.orElse(null);
    builder.modelRepository = modelRepository.orElse(null);
    builder.maxInboundMessageBytes = maxInboundMessageBytes;
    builder.keepalive.timeMillis = keepAliveTime.toMillis();
    builder.keepalive.timeoutMillis = keepAliveTimeout.toMillis();
    builder.keepalive.permitTimeMillis = permitKeepAliveTime.toMillis();
    builder.shutdownDrainDelayMillis = shutdownDrainDelay.toMillis();
    builder.shutdownGraceMillis = shutdownGrace.toMillis();
    builder.registry.pollIntervalMillis = pollInterval.toMillis();
    builder.registry.loadThreads = loadThreads;
    builder.registry.memoryBudgetMebibytes = memoryBudgetMebibytes;
    builder.runtime = new RuntimeSection.Builder(new RuntimeSection(runtime, batching));
    builder.scheduling.preprocessThreads = scheduling.preprocessThreads();
    builder.scheduling.preprocessQueueCapacity = scheduling.preprocessQueueCapacity();
    builder.streams.maxInFlight = streamMaxInFlight;
    builder.streams.stallTimeoutMillis = streamStallTimeout.toMillis();
    builder.limits.maxImagesPerRequest = limits.maxImagesPerRequest();
    builder.limits.maxRequestMegapixels = limits.maxRequestMegapixels();
    builder.http.port = http.port();
    builder.httpPortFile = http.portFile().orElse(null);
    builder.http.maxBodyBytes = http.maxBodyBytes();
    builder.http.threads = http.threads();
    builder.tlsConfig = tls.orElse(null);
    builder.connections.maxConcurrentCalls = connections.maxConcurrentCalls();
    builder.connections.maxAgeMillis = connections.maxAge().toMillis();
    builder.connections.maxAgeGraceMillis = connections.maxAgeGrace().toMillis();
    builder.connections.maxIdleMillis = connections.maxIdle().toMillis();
    builder.healthPortConfig = healthPort;
    builder.reflection = reflection;
    builder.authConfig = auth.orElse(null);
    return builder;
  }

  /** This configuration listening on {@code address} (the command line's {@code --host}). */
  public ServerConfig withHost(String address) {
    return toBuilder().host(address).build();
  }

  public ServerConfig withPort(int number) {
    return toBuilder().port(number).build();
  }

  public ServerConfig withPortFile(Path file) {
    return toBuilder().portFile(file).build();
  }

  /** This configuration with HTTP on {@code number} (0: any free port; -1: off). */
  public ServerConfig withHttpPort(int number) {
    return toBuilder().httpPort(number).build();
  }

  public ServerConfig withHttpPortFile(Path file) {
    return toBuilder().httpPortFile(file).build();
  }

  public ServerConfig withModelRepository(Path repository) {
    return toBuilder().modelRepository(repository).build();
  }

  /**
   * Every key of {@code server.yaml} with its default, as the file spells it; {@link
   * ServerConfigReader} binds the file onto it. Not thread-safe.
   */
  public static final class Builder {
    private final Path base;

    @JsonProperty("host")
    private String host;

    @JsonProperty("port")
    private int port = DEFAULT_PORT;

    private Path portFile;
    private Path modelRepository;

    @JsonProperty("max_inbound_message_bytes")
    private int maxInboundMessageBytes = 64 * 1024 * 1024;

    @JsonProperty("keepalive")
    @JsonMerge
    private Keepalive keepalive = new Keepalive();

    @JsonProperty("shutdown_drain_delay_ms")
    private long shutdownDrainDelayMillis = 0;

    @JsonProperty("shutdown_grace_ms")
    private long shutdownGraceMillis = 30_000;

    @JsonProperty("registry")
    @JsonMerge
    private Registry registry = new Registry();

    @JsonProperty("runtime")
    @JsonMerge
    private RuntimeSection.Builder runtime = new RuntimeSection.Builder();

    @JsonProperty("scheduling")
    @JsonMerge
    private Scheduling scheduling = new Scheduling();

    @JsonProperty("streams")
    @JsonMerge
    private Streams streams = new Streams();

    @JsonProperty("limits")
    @JsonMerge
    private Limits limits = new Limits();

    @JsonProperty("http")
    @JsonMerge
    private Http http = new Http();

    private Path httpPortFile;

    @JsonProperty("tls")
    @JsonMerge
    private Tls tls = new Tls();

    @JsonProperty("connections")
    @JsonMerge
    private Connections connections = new Connections();

    @JsonProperty("health_port")
    @JsonMerge
    private HealthPort healthPort = new HealthPort();

    /** Copied by {@link ServerConfig#toBuilder()}; wins over the {@code health_port:} keys. */
    private HealthPortConfig healthPortConfig;

    @JsonProperty("reflection")
    private boolean reflection = true;

    @JsonProperty("auth")
    @JsonMerge
    private Auth auth = new Auth();

    /** Copied by {@link ServerConfig#toBuilder()}; wins over the {@code auth:} keys. */
    private AuthConfig authConfig;

    /** Set in code ({@link #tls(TlsConfig)}); wins over the {@code tls:} keys. */
    private TlsConfig tlsConfig;

    /**
     * @param base relative paths in the file ({@code port_file}, {@code model_repository}) are
     *     resolved against it
     */
    Builder(Path base) {
      this.base = base;
    }

    public Builder host(String address) {
      host = address;
      return this;
    }

    public Builder port(int number) {
      port = number;
      return this;
    }

    public Builder portFile(Path file) {
      portFile = file;
      return this;
    }

    public Builder modelRepository(Path repository) {
      modelRepository = repository;
      return this;
    }

    public Builder httpPort(int number) {
      http.port = number;
      return this;
    }

    public Builder httpPortFile(Path file) {
      httpPortFile = file;
      return this;
    }

    /** TLS on every port; null: plaintext. */
    public Builder tls(TlsConfig value) {
      tlsConfig = value;
      return this;
    }

    @JsonProperty("port_file")
    private void portFileKey(String text) {
      portFile = path("port_file", text);
    }

    @JsonProperty("model_repository")
    private void modelRepositoryKey(String text) {
      modelRepository = path("model_repository", text);
    }

    /** {@code ~/} is the user's home; other relative paths are relative to the file's folder. */
    private Path path(String key, String text) {
      if (text.isBlank()) {
        throw new ConfigValueException(key, "must be a path, got ''");
      }
      String expanded =
          text.startsWith("~/") ? System.getProperty("user.home") + text.substring(1) : text;
      return base.resolve(expanded).normalize();
    }

    /**
     * @throws ConfigValueException naming the key (dotted from the file's top) whose value is out
     *     of its range
     */
    public ServerConfig build() {
      if (host != null && host.isBlank()) {
        throw new ConfigValueException(
            "host",
            "must be a non-empty string, got '"
                + host
                + "'; leave it out to listen on every interface");
      }
      RuntimeSection runtimeSection = ConfigValueException.within("runtime", runtime::build);
      SchedulingConfig schedulingConfig =
          ConfigValueException.within(
              "scheduling",
              () ->
                  new SchedulingConfig(
                      scheduling.preprocessThreads, scheduling.preprocessQueueCapacity));
      LimitsConfig limitsConfig =
          ConfigValueException.within(
              "limits",
              () -> new LimitsConfig(limits.maxImagesPerRequest, limits.maxRequestMegapixels));
      if (limitsConfig.maxImagesPerRequest() > schedulingConfig.preprocessQueueCapacity()) {
        // Otherwise a request of that many encoded images could never be queued for decoding.
        throw new ConfigValueException(
            "limits.max_images_per_request",
            "("
                + limitsConfig.maxImagesPerRequest()
                + ") must not exceed 'scheduling.preprocess_queue_capacity' ("
                + schedulingConfig.preprocessQueueCapacity()
                + ")");
      }
      int maxInbound = MAX_INBOUND_MESSAGE_BYTES.check(maxInboundMessageBytes);
      Path httpPortFileChosen =
          http.portFile == null ? httpPortFile : path("http.port_file", http.portFile);
      HttpConfig httpConfig =
          ConfigValueException.within(
              "http",
              () ->
                  new HttpConfig(
                      http.port,
                      Optional.ofNullable(httpPortFileChosen),
                      http.maxBodyBytes == null ? maxInbound : http.maxBodyBytes,
                      http.threads));
      return new ServerConfig(
          Optional.ofNullable(host),
          PORT.check(port),
          Optional.ofNullable(portFile),
          Optional.ofNullable(modelRepository),
          maxInbound,
          KEEPALIVE_TIME.millis(keepalive.timeMillis),
          KEEPALIVE_TIMEOUT.millis(keepalive.timeoutMillis),
          PERMIT_KEEPALIVE_TIME.millis(keepalive.permitTimeMillis),
          SHUTDOWN_DRAIN_DELAY.millis(shutdownDrainDelayMillis),
          SHUTDOWN_GRACE.millis(shutdownGraceMillis),
          POLL_INTERVAL.millis(registry.pollIntervalMillis),
          LOAD_THREADS.check(registry.loadThreads),
          MEMORY_BUDGET.check(registry.memoryBudgetMebibytes),
          runtimeSection.runtime(),
          runtimeSection.batching(),
          schedulingConfig,
          STREAM_MAX_IN_FLIGHT.check(streams.maxInFlight),
          STREAM_STALL_TIMEOUT.millis(streams.stallTimeoutMillis),
          limitsConfig,
          httpConfig,
          tlsConfig != null ? Optional.of(tlsConfig) : tls(),
          new ConnectionsConfig(
              connections.maxConcurrentCalls,
              ConnectionsConfig.MAX_AGE.millis(connections.maxAgeMillis),
              ConnectionsConfig.MAX_AGE_GRACE.millis(connections.maxAgeGraceMillis),
              ConnectionsConfig.MAX_IDLE.millis(connections.maxIdleMillis)),
          healthPortConfig != null
              ? healthPortConfig
              : new HealthPortConfig(
                  healthPort.port,
                  Optional.ofNullable(healthPort.host),
                  Optional.ofNullable(healthPort.portFile)
                      .map(file -> path("health_port.port_file", file))),
          reflection,
          authConfig != null
              ? Optional.of(authConfig)
              : Optional.ofNullable(auth.principalsFile)
                  .map(
                      file ->
                          new AuthConfig(
                              path("auth.principals_file", file),
                              AuthConfig.RELOAD_INTERVAL.millis(auth.reloadIntervalMillis))));
    }

    /** The {@code tls:} keys: none set is plaintext; a chain and a key are TLS. */
    private Optional<TlsConfig> tls() {
      if (tls.certChain == null
          && tls.privateKey == null
          && tls.trustedCas == null
          && tls.clientAuth.equals("none")) {
        return Optional.empty();
      }
      if (tls.certChain == null || tls.privateKey == null) {
        throw new ConfigValueException(
            tls.certChain == null ? "tls.cert_chain" : "tls.private_key",
            "is needed: TLS takes a certificate chain and its private key, both PEM files");
      }
      TlsConfig.ClientAuth clientAuth =
          switch (tls.clientAuth) {
            case "none" -> TlsConfig.ClientAuth.NONE;
            case "optional" -> TlsConfig.ClientAuth.OPTIONAL;
            case "require" -> TlsConfig.ClientAuth.REQUIRE;
            default ->
                throw new ConfigValueException(
                    "tls.client_auth",
                    "must be none, optional or require, got '" + tls.clientAuth + "'");
          };
      return Optional.of(
          new TlsConfig(
              path("tls.cert_chain", tls.certChain),
              path("tls.private_key", tls.privateKey),
              Optional.ofNullable(tls.trustedCas).map(file -> path("tls.trusted_cas", file)),
              clientAuth,
              TlsConfig.RELOAD_INTERVAL.millis(tls.reloadIntervalMillis)));
    }
  }

  /** {@code keepalive:} */
  private static final class Keepalive {
    @JsonProperty("time_ms")
    private long timeMillis = 60_000;

    @JsonProperty("timeout_ms")
    private long timeoutMillis = 20_000;

    @JsonProperty("permit_time_ms")
    private long permitTimeMillis = 10_000;
  }

  /** {@code registry:} */
  private static final class Registry {
    @JsonProperty("poll_interval_ms")
    private long pollIntervalMillis = 2_000;

    @JsonProperty("load_threads")
    private int loadThreads = 2;

    @JsonProperty("memory_budget_mib")
    private int memoryBudgetMebibytes = 0;
  }

  /** {@code scheduling:}, defaults from {@link SchedulingConfig#defaults()} */
  private static final class Scheduling {
    @JsonProperty("preprocess_threads")
    private int preprocessThreads = SchedulingConfig.defaults().preprocessThreads();

    @JsonProperty("preprocess_queue_capacity")
    private int preprocessQueueCapacity = SchedulingConfig.defaults().preprocessQueueCapacity();
  }

  /** {@code streams:} */
  private static final class Streams {
    @JsonProperty("max_in_flight")
    private int maxInFlight = 16;

    @JsonProperty("stall_timeout_ms")
    private long stallTimeoutMillis = 30_000;
  }

  /** {@code limits:}, defaults from {@link LimitsConfig#defaults()} */
  private static final class Limits {
    @JsonProperty("max_images_per_request")
    private int maxImagesPerRequest = LimitsConfig.defaults().maxImagesPerRequest();

    @JsonProperty("max_request_megapixels")
    private int maxRequestMegapixels = LimitsConfig.defaults().maxRequestMegapixels();
  }

  /** {@code http:}; off by default (see {@link HttpConfig}) */
  private static final class Http {
    @JsonProperty("port")
    private int port = HttpConfig.OFF;

    /** Resolved against the file's folder, as {@code port_file} is. */
    @JsonProperty("port_file")
    private String portFile;

    /** Null: the gRPC {@code max_inbound_message_bytes}. */
    @JsonProperty("max_body_bytes")
    private Integer maxBodyBytes;

    @JsonProperty("threads")
    private int threads = Runtime.getRuntime().availableProcessors();
  }

  /** {@code tls:}; off unless a certificate chain and key are set (see {@link TlsConfig}) */
  private static final class Tls {
    /** Paths resolve against the file's folder, as {@code port_file} does. */
    @JsonProperty("cert_chain")
    private String certChain;

    @JsonProperty("private_key")
    private String privateKey;

    @JsonProperty("trusted_cas")
    private String trustedCas;

    @JsonProperty("client_auth")
    private String clientAuth = "none";

    @JsonProperty("reload_interval_ms")
    private long reloadIntervalMillis = 60_000;
  }

  /** {@code connections:}, defaults from {@link ConnectionsConfig#defaults()} */
  private static final class Connections {
    @JsonProperty("max_concurrent_calls")
    private int maxConcurrentCalls = ConnectionsConfig.defaults().maxConcurrentCalls();

    @JsonProperty("max_age_ms")
    private long maxAgeMillis = ConnectionsConfig.defaults().maxAge().toMillis();

    @JsonProperty("max_age_grace_ms")
    private long maxAgeGraceMillis = ConnectionsConfig.defaults().maxAgeGrace().toMillis();

    @JsonProperty("max_idle_ms")
    private long maxIdleMillis = ConnectionsConfig.defaults().maxIdle().toMillis();
  }

  /** {@code health_port:}; off by default (see {@link HealthPortConfig}) */
  private static final class HealthPort {
    @JsonProperty("port")
    private int port = HealthPortConfig.OFF;

    @JsonProperty("host")
    private String host;

    /** Resolved against the file's folder, as {@code port_file} is. */
    @JsonProperty("port_file")
    private String portFile;
  }

  /** {@code auth:}; off unless a principals file is set (see {@link AuthConfig}) */
  private static final class Auth {
    /** Resolved against the file's folder, as {@code port_file} is. */
    @JsonProperty("principals_file")
    private String principalsFile;

    @JsonProperty("reload_interval_ms")
    private long reloadIntervalMillis = 2_000;
  }
}
