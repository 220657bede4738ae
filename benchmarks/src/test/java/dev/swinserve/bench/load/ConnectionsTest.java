package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.client.testing.FakeServer;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionsTest {

  @Test
  void aReachableServerIsConnectedBeforeTheRun() throws InterruptedException {
    try (FakeServer server = new FakeServer()) {
      ManagedChannel channel = server.channel();
      try {
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.IDLE);

        assertThat(Connections.connect(channel, Duration.ofSeconds(10)))
            .isEqualTo(ConnectivityState.READY);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void anUnreachableServerEndsTheWaitWithoutThrowing() throws InterruptedException {
    ManagedChannel channel =
        InProcessChannelBuilder.forName(InProcessServerBuilder.generateName()).build();
    try {
      assertThat(Connections.connect(channel, Duration.ofSeconds(10)))
          .isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    } finally {
      channel.shutdownNow();
    }
  }
}
