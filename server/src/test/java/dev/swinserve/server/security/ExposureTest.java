package dev.swinserve.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Injector;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.client.testing.TestCertificates;
import dev.swinserve.server.ServerRunner;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.ReflectionListing;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server shows of itself: a plaintext health-only port beside a TLS one (for probes that
 * cannot speak TLS) that serves nothing else, reflection that can be switched off, and the warning
 * printed when it listens beyond loopback with no authentication.
 */
class ExposureTest {

  @TempDir Path folder;

  @Test
  void theHealthPortServesHealthInPlaintextAndNothingElse() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("exposure CA");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");
    Injector injector =
        LoopbackServers.started(
            config(
                "tls: {cert_chain: "
                    + server.chain()
                    + ", private_key: "
                    + server.key()
                    + "}\nhealth_port: {port: 0}\n"));
    int port = injector.getInstance(HealthPortServer.class).port();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThatThrownBy(
              () ->
                  ModelServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .listModels(ListModelsRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    } finally {
      channel.shutdownNow();
      injector.getInstance(SwinserveServer.class).shutdown();
    }
  }

  @Test
  void reflectionIsServedUnlessSwitchedOff() throws Exception {
    assertThat(reflectionStatus(config(""))).isEqualTo(Status.Code.OK);
    assertThat(reflectionStatus(config("reflection: false\n")))
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void listeningBeyondLoopbackWithoutAuthenticationIsSaidLoudly() throws Exception {
    assertThat(ServerRunner.exposure(config(""))).isEmpty(); // 127.0.0.1
    ServerConfig everywhere =
        TestConfigs.withRepository(Files.createDirectories(folder.resolve("models")));
    assertThat(ServerRunner.exposure(everywhere))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .contains("every interface")
                    .contains("no authentication")
                    .contains("SetLabel")
                    .contains("plaintext"));
  }

  private ServerConfig config(String yaml) throws Exception {
    return TestConfigs.withRepository(
        Files.createDirectories(folder.resolve("models")), "host: 127.0.0.1\n" + yaml);
  }

  private static Status.Code reflectionStatus(ServerConfig config) throws Exception {
    SwinserveServer server = LoopbackServers.start(config);
    ManagedChannel channel = LoopbackServers.channel(server);
    try {
      assertThat(ReflectionListing.services(channel)).contains("grpc.health.v1.Health");
      return Status.Code.OK;
    } catch (AssertionError e) {
      return Status.fromThrowable(e.getCause()).getCode();
    } finally {
      channel.shutdownNow();
      server.shutdown();
    }
  }
}
