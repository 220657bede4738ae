package dev.swinserve.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.config.ConfigBinder;
import dev.swinserve.config.ConfigException;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchingConfig;
import dev.swinserve.server.scheduling.SchedulingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigReaderTest {

  @TempDir Path temp;

  /**
   * Every key set to a value other than its default (batching pads to the powers of two up to 16).
   */
  private static final String EVERY_KEY =
      """
        host: 127.0.0.2
        port: 9000
        port_file: run/port
        model_repository: models
        max_inbound_message_bytes: 2048
        keepalive: {time_ms: 1000, timeout_ms: 2000, permit_time_ms: 3000}
        shutdown_drain_delay_ms: 1500
        shutdown_grace_ms: 4000
        registry: {poll_interval_ms: 5000, load_threads: 3, memory_budget_mib: 64}
        runtime:
          intra_op_threads: 2
          inter_op_threads: 1
          warm_up_batch_sizes: [1, 4]
          instances: 2
          batching: {max_batch_size: 16, max_queue_delay_ms: 0.5, max_queue_size: 7, batch_threads: 2}
        scheduling: {preprocess_threads: 3, preprocess_queue_capacity: 9}
        streams: {max_in_flight: 4, stall_timeout_ms: 6000}
        limits: {max_images_per_request: 8, max_request_megapixels: 30}
        http: {port: 8000, port_file: run/http-port, max_body_bytes: 4096, threads: 3}
        connections: {max_concurrent_calls: 32, max_age_ms: 7000, max_age_grace_ms: 8000, max_idle_ms: 9000}
        health_port: {port: 8600, host: 127.0.0.3, port_file: run/health-port}
        reflection: false
        auth: {principals_file: run/principals.yaml, reload_interval_ms: 3000}
        tls: {cert_chain: tls/server.crt, private_key: tls/server.key, trusted_cas: tls/ca.crt, client_auth: require, reload_interval_ms: 30000}
        """;

  private ServerConfig read(String yaml) throws IOException {
    Path file = temp.resolve("server.yaml");
    Files.writeString(file, yaml);
    return ServerConfigReader.read(file);
  }

  @Test
  void anEmptyFileMeansTheDefaults() throws IOException {
    ServerConfig config = read("");

    assertThat(config).isEqualTo(ServerConfig.defaults());
    assertThat(config.host()).as("every interface").isEmpty();
    assertThat(config.port()).isEqualTo(8500);
    assertThat(config.modelRepository()).isEmpty();
    assertThat(config.maxInboundMessageBytes()).isEqualTo(64 * 1024 * 1024);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.batching()).isEqualTo(BatchingConfig.defaults());
    assertThat(config.streamMaxInFlight()).isEqualTo(16);
  }

  @Test
  void theShippedExampleIsValidAndMatchesTheDefaults() {
    Path example = Path.of("").toAbsolutePath().getParent().resolve("configs/server.yaml");

    ServerConfig config = ServerConfigReader.read(example);

    assertThat(config.host()).isEqualTo(ServerConfig.defaults().host());
    assertThat(config.port()).isEqualTo(ServerConfig.defaults().port());
    assertThat(config.keepAliveTime()).isEqualTo(ServerConfig.defaults().keepAliveTime());
    assertThat(config.streamStallTimeout()).isEqualTo(ServerConfig.defaults().streamStallTimeout());
  }

  @Test
  void mapsEveryKey() throws IOException {
    ServerConfig config = read(EVERY_KEY);

    assertThat(config.host()).contains("127.0.0.2");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.portFile()).contains(temp.resolve("run/port"));
    assertThat(config.modelRepository())
        .as("relative to the file")
        .contains(temp.resolve("models"));
    assertThat(config.maxInboundMessageBytes()).isEqualTo(2048);
    assertThat(config.keepAliveTime()).isEqualTo(Duration.ofMillis(1000));
    assertThat(config.keepAliveTimeout()).isEqualTo(Duration.ofMillis(2000));
    assertThat(config.permitKeepAliveTime()).isEqualTo(Duration.ofMillis(3000));
    assertThat(config.shutdownDrainDelay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(4000));
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(5000));
    assertThat(config.loadThreads()).isEqualTo(3);
    assertThat(config.runtime().intraOpThreads()).isEqualTo(2);
    assertThat(config.runtime().interOpThreads()).isEqualTo(1);
    assertThat(config.runtime().warmUpBatchSizes()).containsExactly(1, 4);
    assertThat(config.runtime().instances()).isEqualTo(2);
    assertThat(config.batching().maxBatchSize()).isEqualTo(16);
    assertThat(config.batching().allowedBatchSizes()).containsExactly(1, 2, 4, 8, 16);
    assertThat(config.batching().maxQueueDelay()).isEqualTo(Duration.ofNanos(500_000));
    assertThat(config.batching().maxQueueSize()).isEqualTo(7);
    assertThat(config.batching().batchThreads()).isEqualTo(2);
    assertThat(config.batching().warmUpBatchSizes(config.runtime().warmUpBatchSizes()))
        .containsExactly(1, 2, 4, 8, 16);
    assertThat(config.scheduling().preprocessThreads()).isEqualTo(3);
    assertThat(config.scheduling().preprocessQueueCapacity()).isEqualTo(9);
    assertThat(config.streamMaxInFlight()).isEqualTo(4);
    assertThat(config.streamStallTimeout()).isEqualTo(Duration.ofMillis(6000));
    assertThat(config.limits().maxImagesPerRequest()).isEqualTo(8);
    assertThat(config.limits().maxRequestPixels()).isEqualTo(30_000_000L);
  }

  @Test
  void namesTheKeyThatIsWrong() {
    assertThatThrownBy(() -> read("prot: 9000\n")).hasMessageContaining("'prot' is an unknown key");
    assertThatThrownBy(() -> read("streams: {max_inflight: 3}\n"))
        .hasMessageContaining(
            "'streams.max_inflight' is an unknown key (known keys here: max_in_flight, stall_timeout_ms) (line 1)");
    assertThatThrownBy(() -> read("port: eighty\n"))
        .hasMessageContaining("'port' must be an integer");
    assertThatThrownBy(() -> read("shutdown_grace_ms: -1\n"))
        .hasMessageContaining("shutdown_grace_ms");
    assertThatThrownBy(() -> read("port: 70000\n")).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> read("host: ''\n"))
        .hasMessageContaining("'host' must be a non-empty string");
    assertThatThrownBy(() -> read("host: [a, b]\n"))
        .hasMessageContaining("'host' must be a non-empty string");
    assertThatThrownBy(() -> read("limits: {max_images_per_request: 0}\n"))
        .hasMessageContaining("'limits.max_images_per_request' must be in 1..4096");
    assertThatThrownBy(() -> read("limits: {max_images_per_request: 300}\n"))
        .hasMessageContaining("must not exceed 'scheduling.preprocess_queue_capacity' (256)");
  }

  @Test
  void aNumberOutsideItsRangeIsRefusedNamingFileKeyAndRange() {
    Path file = temp.resolve("server.yaml");
    assertThatThrownBy(() -> read("runtime: {intra_op_threads: -5}\n"))
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining("'runtime.intra_op_threads' must be in 0..1024, got -5 (line 1)");
    assertThatThrownBy(() -> read("runtime: {warm_up_batch_sizes: [100000]}\n"))
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining("'runtime.warm_up_batch_sizes' must be in 1..1024, got 100000");
    assertThatThrownBy(() -> read("runtime: {batching: {max_batch_size: 4096}}\n"))
        .hasMessageContaining("'runtime.batching.max_batch_size' must be in 1..1024, got 4096");
    assertThatThrownBy(() -> read("max_inbound_message_bytes: 2147483647\n"))
        .hasMessageContaining(
            "'max_inbound_message_bytes' must be in 1024..1073741824, got 2147483647");
    assertThatThrownBy(() -> read("max_inbound_message_bytes: 100\n"))
        .hasMessageContaining("'max_inbound_message_bytes' must be in 1024..1073741824");
    assertThatThrownBy(() -> read("keepalive: {time_ms: 0}\n"))
        .hasMessageContaining("'keepalive.time_ms' must be in 1..86400000, got 0");
    assertThatThrownBy(() -> read("shutdown_grace_ms: 100000000\n"))
        .hasMessageContaining("'shutdown_grace_ms' must be in 0..600000, got 100000000");
    assertThatThrownBy(() -> read("shutdown_drain_delay_ms: 9999999999999\n"))
        .hasMessageContaining("'shutdown_drain_delay_ms' must be in 0..600000");
    assertThatThrownBy(() -> read("registry: {load_threads: 0}\n"))
        .hasMessageContaining("'registry.load_threads' must be in 1..64, got 0");
    assertThatThrownBy(() -> read("scheduling: {preprocess_threads: 5000}\n"))
        .hasMessageContaining("'scheduling.preprocess_threads' must be in 1..1024, got 5000");
    assertThatThrownBy(() -> read("scheduling: {preprocess_queue_capacity: 0}\n"))
        .hasMessageContaining(
            "'scheduling.preprocess_queue_capacity' must be in 1..1000000, got 0");
    assertThatThrownBy(() -> read("streams: {max_in_flight: 100000}\n"))
        .hasMessageContaining("'streams.max_in_flight' must be in 1..10000, got 100000");
    assertThatThrownBy(() -> read("streams: {stall_timeout_ms: 0}\n"))
        .hasMessageContaining("'streams.stall_timeout_ms' must be in 1..3600000, got 0");
    assertThatThrownBy(() -> read("registry: {poll_interval_ms: -1}\n"))
        .hasMessageContaining("'registry.poll_interval_ms' must be in 0..86400000, got -1");
    assertThatThrownBy(() -> read("registry: {memory_budget_mib: -1}\n"))
        .hasMessageContaining("'registry.memory_budget_mib' must be in 0..2147483647, got -1");
  }

  @Test
  void theCommandLineHostOverridesTheFile() throws IOException {
    ServerConfig config = read("host: 0.0.0.0\n").withHost("127.0.0.1");

    assertThat(config.host()).contains("127.0.0.1");
    assertThat(config.port()).isEqualTo(8500);
  }

  @Test
  void everyDefaultInOnePlace() {
    assertThat(ServerConfig.defaults())
        .isEqualTo(
            new ServerConfig(
                Optional.empty(),
                8500,
                Optional.empty(),
                Optional.empty(),
                64 * 1024 * 1024,
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                Duration.ZERO,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                2,
                0,
                new RuntimeConfig(0, 0, List.of(1), 1),
                new BatchingConfig(8, List.of(1, 2, 4, 8), Duration.ofMillis(2), 128, 1),
                new SchedulingConfig(Runtime.getRuntime().availableProcessors(), 256),
                16,
                Duration.ofSeconds(30),
                new LimitsConfig(64, 200),
                new HttpConfig(
                    -1,
                    Optional.empty(),
                    64 * 1024 * 1024,
                    Runtime.getRuntime().availableProcessors()),
                Optional.empty(),
                new ConnectionsConfig(
                    256, Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(10)),
                HealthPortConfig.off(),
                true,
                Optional.empty()));
  }

  @Test
  void anExplicitMappingSetsEveryKeyToANonDefaultValue() throws IOException {
    ServerConfig config =
        read(
            EVERY_KEY.replace(
                "batching: {", "batching: {enabled: true, allowed_batch_sizes: [1, 16], "));

    assertThat(config)
        .isEqualTo(
            new ServerConfig(
                Optional.of("127.0.0.2"),
                9000,
                Optional.of(temp.resolve("run/port")),
                Optional.of(temp.resolve("models")),
                2048,
                Duration.ofMillis(1000),
                Duration.ofMillis(2000),
                Duration.ofMillis(3000),
                Duration.ofMillis(1500),
                Duration.ofMillis(4000),
                Duration.ofMillis(5000),
                3,
                64,
                new RuntimeConfig(2, 1, List.of(1, 4), 2),
                new BatchingConfig(16, List.of(1, 16), Duration.ofNanos(500_000), 7, 2),
                new SchedulingConfig(3, 9),
                4,
                Duration.ofMillis(6000),
                new LimitsConfig(8, 30),
                new HttpConfig(8000, Optional.of(temp.resolve("run/http-port")), 4096, 3),
                Optional.of(
                    new TlsConfig(
                        temp.resolve("tls/server.crt"),
                        temp.resolve("tls/server.key"),
                        Optional.of(temp.resolve("tls/ca.crt")),
                        TlsConfig.ClientAuth.REQUIRE,
                        Duration.ofSeconds(30))),
                new ConnectionsConfig(
                    32, Duration.ofSeconds(7), Duration.ofSeconds(8), Duration.ofSeconds(9)),
                new HealthPortConfig(
                    8600, Optional.of("127.0.0.3"), Optional.of(temp.resolve("run/health-port"))),
                false,
                Optional.of(
                    new AuthConfig(temp.resolve("run/principals.yaml"), Duration.ofSeconds(3)))));
    assertThat(read("runtime: {batching: {enabled: false}}\n").batching().enabled()).isFalse();
  }

  @Test
  void refusesWhatTheOldReaderLetThroughNamingFileKeyAndLine() throws IOException {
    Path file = temp.resolve("server.yaml");
    assertThatThrownBy(() -> read("port: 9000\nhost: a\nport: 9001\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining("Duplicate field 'port'")
        .hasMessageContaining("(line 3)");
    assertThatThrownBy(() -> read("keepalive:\n  time_ms: 1\n  time_ms: 2\n"))
        .hasMessageContaining("Duplicate field 'time_ms'")
        .hasMessageContaining("(line 3)");
    assertThatThrownBy(() -> read("port: '9000'\n"))
        .hasMessageContaining("'port' must be an integer");
    assertThatThrownBy(() -> read("registry:\n  load_threads: 2.5\n"))
        .hasMessageContaining("'registry.load_threads' must be an integer")
        .hasMessageContaining("(line 2)");
    assertThatThrownBy(() -> read("port_file: ''\n"))
        .hasMessageContaining("'port_file' must be a path");
  }

  @Test
  void tlsNeedsAChainAndAKeyAndCasForClientCertificates() {
    assertThatThrownBy(() -> read("tls: {cert_chain: server.crt}\n"))
        .hasMessageContaining("'tls.private_key' is needed");
    assertThatThrownBy(() -> read("tls: {private_key: server.key}\n"))
        .hasMessageContaining("'tls.cert_chain' is needed");
    assertThatThrownBy(
            () -> read("tls: {cert_chain: a.crt, private_key: a.key, client_auth: require}\n"))
        .hasMessageContaining("'tls.trusted_cas' is needed with client_auth require");
    assertThatThrownBy(
            () -> read("tls: {cert_chain: a.crt, private_key: a.key, client_auth: always}\n"))
        .hasMessageContaining("'tls.client_auth' must be none, optional or require, got 'always'");
    assertThatThrownBy(
            () -> read("tls: {cert_chain: a.crt, private_key: a.key, reload_interval_ms: -1}\n"))
        .hasMessageContaining("tls.reload_interval_ms");
  }

  @Test
  void httpIsOffByDefaultAndItsBodyLimitFollowsTheGrpcMessageLimit() throws IOException {
    assertThat(read("").http().enabled()).isFalse();
    assertThat(read("max_inbound_message_bytes: 5000\n").http().maxBodyBytes()).isEqualTo(5000);
    assertThat(read("http: {port: 0}\n").http().enabled()).isTrue();
    assertThatThrownBy(() -> read("http: {port: -2}\n"))
        .hasMessageContaining("'http.port' must be in -1..65535, got -2");
    assertThatThrownBy(() -> read("http: {max_body_bytes: 10}\n"))
        .hasMessageContaining("'http.max_body_bytes' must be in 1024..");
    ServerConfig overridden =
        read("http: {port: 8000}\n").withHttpPort(0).withHttpPortFile(temp.resolve("f"));
    assertThat(overridden.http().port()).isZero();
    assertThat(overridden.http().portFile()).contains(temp.resolve("f"));
    assertThat(ServerConfig.defaults().withHttpPort(-1).http().enabled()).isFalse();
  }

  @Test
  void theCommandLineOverridesAreCheckedLikeTheFile() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPort(70_000))
        .hasMessage("'port' must be in 0..65535, got 70000");
    assertThat(ServerConfig.defaults().withPort(1).toBuilder().build())
        .isEqualTo(ServerConfig.defaults().withPort(1));
  }

  /**
   * {@code configs/server.yaml} names every key the binder knows (optional keys without a default
   * as comments, {@code # key: example}) and its values are the real defaults.
   */
  @Test
  void theShippedExampleDocumentsEveryKeyWithItsDefault() throws IOException {
    Path example = Path.of("").toAbsolutePath().getParent().resolve("configs/server.yaml");
    String text = Files.readString(example);
    String uncommented =
        Pattern.compile("^( *)# ([a-z_]+): ", Pattern.MULTILINE).matcher(text).replaceAll("$1$2: ");

    assertThat(ServerConfigReader.read(example)).isEqualTo(ServerConfig.defaults());
    assertThat(ConfigTree.parse(uncommented, example.toString()).keys())
        .isEqualTo(ConfigBinder.keys(ServerConfig.Builder.class));
  }
}
