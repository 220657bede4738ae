package dev.swinserve.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections:} enforced on a real server with a real client: calls beyond the
 * per-connection limit wait for a free slot, an idle connection is closed, an old one is asked to
 * go away and its calls are cut after the grace period while new calls go on over a new connection.
 */
class ConnectionLimitsTest {

  @TempDir Path folder;

  @Test
  void callsBeyondTheLimitOfAConnectionAreHeldBack() throws Exception {
    SwinserveServer server = start("connections: {max_concurrent_calls: 2}\n");
    ManagedChannel channel = LoopbackServers.channel(server);
    try {
      List<Watch> watches = new ArrayList<>();
      watches.add(watch(channel));
      watches.add(watch(channel));
      for (Watch watch : watches) {
        assertThat(watch.firstAnswer().get(10, TimeUnit.SECONDS))
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      }

      // A third call on the connection is held back by the client (MAX_CONCURRENT_STREAMS = 2);
      // the limit is the connection's: a call on another connection is answered at once.
      CompletableFuture<HealthCheckResponse.ServingStatus> third =
          CompletableFuture.supplyAsync(() -> check(channel, Duration.ofSeconds(20)));
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !third.isDone());
      ManagedChannel other = LoopbackServers.channel(server);
      try {
        assertThat(check(other, Duration.ofSeconds(10)))
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        other.shutdownNow();
      }
      assertThat(third).isNotDone();
    } finally {
      channel.shutdownNow();
      server.shutdown();
    }
  }

  @Test
  void aConnectionWithoutCallsIsClosedAfterTheIdleTime() throws Exception {
    SwinserveServer server = start("connections: {max_idle_ms: 300}\n");
    ManagedChannel channel = LoopbackServers.channel(server);
    try {
      check(channel, Duration.ofSeconds(10));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> channel.getState(false) == ConnectivityState.IDLE);
      // The client reconnects for the next call.
      assertThat(check(channel, Duration.ofSeconds(10)))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
      server.shutdown();
    }
  }

  @Test
  void anOldConnectionGoesAwayItsCallsCutAfterTheGraceAndNewCallsGoOn() throws Exception {
    SwinserveServer server = start("connections: {max_age_ms: 500, max_age_grace_ms: 500}\n");
    ManagedChannel channel = LoopbackServers.channel(server);
    try {
      Watch longCall = watch(channel);
      assertThat(longCall.firstAnswer().get(10, TimeUnit.SECONDS))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      Throwable end = longCall.end().get(10, TimeUnit.SECONDS);
      assertThat(Status.fromThrowable(end).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(check(channel, Duration.ofSeconds(10)))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
      server.shutdown();
    }
  }

  private SwinserveServer start(String yaml) throws Exception {
    Path repository = Files.createDirectories(folder.resolve("models"));
    return LoopbackServers.start(
        TestConfigs.withRepository(repository, "host: 127.0.0.1\n" + yaml));
  }

  private static HealthCheckResponse.ServingStatus check(
      ManagedChannel channel, Duration deadline) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  /** A long call: health Watch, open until cancelled or ended by the server. */
  private record Watch(
      CompletableFuture<HealthCheckResponse.ServingStatus> firstAnswer,
      CompletableFuture<Throwable> end,
      CompletableFuture<ClientCallStreamObserver<HealthCheckRequest>> call) {

    void cancel() throws Exception {
      call.get(10, TimeUnit.SECONDS).cancel("test done", null);
    }
  }

  private static Watch watch(ManagedChannel channel) {
    Watch watch =
        new Watch(new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>());
    HealthGrpc.newStub(channel)
        .watch(
            HealthCheckRequest.getDefaultInstance(),
            new ClientResponseObserver<HealthCheckRequest, HealthCheckResponse>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> call) {
                watch.call().complete(call);
              }

              @Override
              public void onNext(HealthCheckResponse response) {
                watch.firstAnswer().complete(response.getStatus());
              }

              @Override
              public void onError(Throwable error) {
                watch.end().complete(error);
              }

              @Override
              public void onCompleted() {
                watch.end().complete(null);
              }
            });
    return watch;
  }
}
