package dev.swinserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.testing.FakeClassifier;
import dev.swinserve.client.testing.TestCertificates;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over real TLS (Netty, loopback): trusting a CA, presenting its own certificate for
 * mutual TLS, and, for a DNS name it dials per address, checking the server's certificate against
 * the name rather than the address (a certificate for the name only, no IP, must pass).
 */
class ClientTlsTest {

  private static final String HOST = "swinserve.test";

  @TempDir Path folder;
  private Server server;
  private Path caFile;
  private TestCertificates.PemFiles client;

  @BeforeEach
  void startTlsServer() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("client test CA");
    caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles serverFiles = ca.serverNamed(HOST).written(folder, "server");
    client = ca.client("client").written(folder, "client");
    server =
        Grpc.newServerBuilderForPort(
                0,
                TlsServerCredentials.newBuilder()
                    .keyManager(serverFiles.chain().toFile(), serverFiles.key().toFile())
                    .trustManager(caFile.toFile())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build())
            .addService(new FakeClassifier())
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aDnsNameDialledPerAddressIsCheckedAgainstTheName() {
    ClientConfig config =
        ClientConfig.defaults(HOST + ":" + server.getPort())
            .withTls(
                ClientTls.trusting(caFile).withClientCertificate(client.chain(), client.key()));
    FakeResolver resolver = new FakeResolver().answer(HOST, "127.0.0.1", "127.0.0.2");
    try (SwinserveClient swinserve =
        new SwinserveClient(
            config,
            resolver,
            ClientChannels.forDnsName(
                (ClientTarget.DnsName) ClientTarget.parse(config.target()), config.tls()),
            Executors.newSingleThreadScheduledExecutor(),
            Clock.systemUTC(),
            () -> 0.5,
            BreakerListener.NONE)) {
      assertThat(swinserve.breakers()).hasSize(2); // one endpoint per address
      for (int i = 0; i < 4; i++) {
        assertThat(swinserve.classify(request()).getModel().getVersion())
            .isEqualTo(FakeClassifier.DEFAULT_VERSION);
      }
    }
  }

  @Test
  void anAddressWithoutTheNameFailsTheCertificateCheck() {
    ManagedChannel channel =
        ClientChannels.forEndpoint(
            "127.0.0.1:" + server.getPort(),
            Optional.of(
                ClientTls.trusting(caFile).withClientCertificate(client.chain(), client.key())),
            Optional.empty());
    try {
      assertThatThrownBy(
              () ->
                  ClassifierGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .classify(request()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void withoutAClientCertificateMutualTlsRefusesTheClient() {
    ClientConfig config =
        ClientConfig.defaults("127.0.0.1:" + server.getPort())
            .withRetry(
                new dev.swinserve.client.resilience.RetryConfig(
                    1, Duration.ofMillis(10), 2, Duration.ofMillis(10), 0, 0, 0))
            .withTls(ClientTls.trusting(caFile));
    try (SwinserveClient swinserve = SwinserveClient.connect(config, BreakerListener.NONE)) {
      assertThatThrownBy(() -> swinserve.classify(request()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void halfAClientCertificateIsRefused() {
    assertThatThrownBy(
            () -> new ClientTls(Optional.of(caFile), Optional.of(client.chain()), Optional.empty()))
        .hasMessageContaining("both certChain and privateKey");
  }

  private static ClassifyRequest request() {
    return ClassifyRequest.newBuilder().setModel(ModelSpec.newBuilder().setName("m")).build();
  }
}
