package dev.swinserve.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.Injector;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.client.testing.TestCertificates;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.http.ManagedHttpServer;
import dev.swinserve.server.testing.LogCapture;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS on the real server (production modules on Netty, loopback), with certificates
 * made at test time: who gets in and who does not, the HTTP port under the same credentials, and a
 * certificate rotated under load (no call fails; new connections see the new certificate; a broken
 * new file keeps the old one).
 */
class TlsEndToEndTest {

  /** What the server logs when it keeps the credentials in use over new files it refuses. */
  private static final String KEPT = "keeping the TLS credentials in use";

  @TempDir Path folder;

  @Test
  void aClientTrustingTheCaGetsInAndAPlaintextOrUntrustingOneDoesNot() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve test CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");
    Path otherCa = new TestCertificates.Authority("another CA").write(folder, "other-ca");

    try (Running running = start(tlsYaml(server, null, "none"))) {
      assertThat(
              health(
                  running.channel(
                      TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build())))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertRefused(running.channel(InsecureChannelCredentials.create()));
      assertRefused(
          running.channel(
              TlsChannelCredentials.newBuilder().trustManager(otherCa.toFile()).build()));
    }
  }

  @Test
  void mutualTlsLetsInOnlyClientsWithACertificateTheCaSigned() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve test CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");
    TestCertificates.PemFiles client = ca.client("reporting-job").written(folder, "client");
    TestCertificates.PemFiles stranger =
        new TestCertificates.Authority("another CA").client("stranger").written(folder, "stranger");

    try (Running running = start(tlsYaml(server, caFile, "require"))) {
      assertThat(
              health(
                  running.channel(
                      TlsChannelCredentials.newBuilder()
                          .trustManager(caFile.toFile())
                          .keyManager(client.chain().toFile(), client.key().toFile())
                          .build())))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertRefused(
          running.channel(
              TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build()));
      assertRefused(
          running.channel(
              TlsChannelCredentials.newBuilder()
                  .trustManager(caFile.toFile())
                  .keyManager(stranger.chain().toFile(), stranger.key().toFile())
                  .build()));
    }
  }

  @Test
  void anExpiredServerCertificateIsRefusedByTheClient() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve test CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles expired =
        ca.server(Instant.now().minus(Duration.ofDays(3)), Duration.ofDays(1))
            .written(folder, "server");

    try (Running running = start(tlsYaml(expired, null, "none"))) {
      assertRefused(
          running.channel(
              TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build()));
    }
  }

  @Test
  void theHttpPortServesTheSameCertificate() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve test CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");

    try (Running running = start(tlsYaml(server, null, "none") + "http: {port: 0}\n")) {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {trusting(caFile)}, null);
      HttpClient https = HttpClient.newBuilder().sslContext(context).build();
      int port = running.httpPort();
      HttpResponse<String> ready =
          https.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v2/health/live"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);

      HttpClient plain = HttpClient.newHttpClient();
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(
                              URI.create("http://localhost:" + port + "/v2/health/live"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void aCertificateRotatedUnderLoadFailsNoCallAndABrokenOneKeepsTheOld() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve test CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.Issued first = ca.server();
    TestCertificates.PemFiles files = first.written(folder, "server");

    try (Running running = start(tlsYaml(files, null, "none") + "  reload_interval_ms: 100\n")) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      ExecutorService callers = Executors.newFixedThreadPool(3);
      List<Future<Integer>> counts = new ArrayList<>();
      // Two callers on one long-lived connection, one opening a new connection for every call.
      ManagedChannel shared =
          running.channel(TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build());
      for (int i = 0; i < 3; i++) {
        boolean fresh = i == 2;
        counts.add(
            callers.submit(
                () -> {
                  int calls = 0;
                  while (!stop.get()) {
                    ManagedChannel channel =
                        fresh
                            ? running.channel(
                                TlsChannelCredentials.newBuilder()
                                    .trustManager(caFile.toFile())
                                    .build())
                            : shared;
                    try {
                      ModelServiceGrpc.newBlockingStub(channel)
                          .withDeadlineAfter(10, TimeUnit.SECONDS)
                          .listModels(ListModelsRequest.getDefaultInstance());
                      calls++;
                    } catch (StatusRuntimeException e) {
                      failure.compareAndSet(null, e);
                    } finally {
                      if (fresh) {
                        channel.shutdownNow();
                      }
                    }
                  }
                  return calls;
                }));
      }
      assertThat(servedSerial(running, caFile)).isEqualTo(first.serial());

      TestCertificates.Issued second = ca.server();
      second.written(folder, "server");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> servedSerial(running, caFile).equals(second.serial()));

      // A broken rotation: a certificate file that is not PEM; then a key that is not the
      // certificate's (a rotation caught between its two files). The certificate served stays.
      try (LogCapture logs = LogCapture.of(TransportSecurity.class)) {
        TestCertificates.writeAtomically(files.chain(), "not a certificate\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.count(KEPT) == 1);
        assertThat(servedSerial(running, caFile)).isEqualTo(second.serial());
        TestCertificates.PemFiles third = ca.server().written(folder, "third");
        Files.copy(third.chain(), files.chain(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.count(KEPT) == 2);
        assertThat(servedSerial(running, caFile)).isEqualTo(second.serial());
      }

      stop.set(true);
      int total = 0;
      for (Future<Integer> count : counts) {
        total += count.get(30, TimeUnit.SECONDS);
      }
      callers.shutdown();
      shared.shutdownNow();
      assertThat(failure.get()).as("a call failed during the rotation").isNull();
      assertThat(total).isPositive();
      System.out.printf("TLS rotation under load: %d calls, 0 failed%n", total);
    }
  }

  @Test
  void aMissingKeyStopsTheStartNamingTheFile() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve test CA");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");
    Files.delete(server.key());

    assertThatThrownBy(() -> start(tlsYaml(server, null, "none")))
        .hasStackTraceContaining(server.key().toString());
  }

  // --- helpers ---

  private static String tlsYaml(TestCertificates.PemFiles server, Path cas, String clientAuth) {
    return "host: 127.0.0.1\ntls:\n  cert_chain: "
        + server.chain()
        + "\n  private_key: "
        + server.key()
        + "\n"
        + (cas == null ? "" : "  trusted_cas: " + cas + "\n")
        + "  client_auth: "
        + clientAuth
        + "\n";
  }

  private Running start(String yaml) throws Exception {
    Path repository = Files.createDirectories(folder.resolve("models"));
    ServerConfig config = TestConfigs.withRepository(repository, yaml);
    Injector injector = LoopbackServers.started(config);
    return new Running(
        injector.getInstance(SwinserveServer.class),
        injector.getInstance(ManagedHttpServer.class).port(),
        new ArrayList<>());
  }

  /** A started server and the channels opened to it, all closed together. */
  private record Running(SwinserveServer server, int httpPort, List<ManagedChannel> channels)
      implements AutoCloseable {

    ManagedChannel channel(ChannelCredentials credentials) {
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), credentials).build();
      synchronized (channels) {
        channels.add(channel);
      }
      return channel;
    }

    @Override
    public void close() throws Exception {
      synchronized (channels) {
        channels.forEach(ManagedChannel::shutdownNow);
      }
      server.shutdown();
    }
  }

  private static HealthCheckResponse.ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  private static void assertRefused(ManagedChannel channel) {
    assertThatThrownBy(() -> health(channel))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  /** The serial number of the certificate a new connection is served. */
  private static BigInteger servedSerial(Running running, Path caFile) throws Exception {
    AtomicReference<BigInteger> seen = new AtomicReference<>();
    X509TrustManager trusting = trusting(caFile);
    X509TrustManager recording =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type)
              throws CertificateException {
            trusting.checkClientTrusted(chain, type);
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type)
              throws CertificateException {
            seen.set(chain[0].getSerialNumber());
            trusting.checkServerTrusted(chain, type);
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return trusting.getAcceptedIssuers();
          }
        };
    ManagedChannel channel =
        running.channel(TlsChannelCredentials.newBuilder().trustManager(recording).build());
    try {
      health(channel);
    } finally {
      channel.shutdownNow();
    }
    return seen.get();
  }

  private static X509TrustManager trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream input = Files.newInputStream(caFile)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(input));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
