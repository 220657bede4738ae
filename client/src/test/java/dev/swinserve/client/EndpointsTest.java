package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.ManualClock;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  /** No retries: a call sent to a dead endpoint would fail. */
  private static final ClientConfig SINGLE_ATTEMPT = ClientTests.config()
      .withRetry(new ClientConfig.RetryConfig(1, Duration.ofMillis(1), 2, Duration.ofMillis(5), 0, 0.1, 10));

  private final FakeServer server = new FakeServer();
  private final FakeServer other = new FakeServer();
  private final ManualClock clock = new ManualClock();
  private SwinserveClient client;

  @AfterEach
  void stop() {
    server.close();
    other.close();
    client.close();
  }

  @Test
  void anEndpointThatLostItsConnectionIsPassedOverWhileAnotherIsConnected() {
    client = ClientTests.client(SINGLE_ATTEMPT, clock, BreakerListener.NONE, server, other);
    IntStream.range(0, 4).forEach(i -> client.classify(request("before-" + i), DEADLINE));

    other.close();
    IntStream.range(0, 10).forEach(i -> client.classify(request("after-" + i), DEADLINE));

    assertThat(server.classifier().unaryRequests()).hasSize(2 + 10);
    assertThat(client.breakers().get(1).failedCalls()).as("no call was tried on it").isZero();
  }
}
