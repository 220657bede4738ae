package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.client.resilience.BreakerListener;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EndpointsTest extends FakeServersTest {

  /** No retries: a call sent to a dead endpoint would fail. */
  private static final ClientConfig SINGLE_ATTEMPT =
      ClientTests.config().withRetry(ClientTests.SINGLE_ATTEMPT);

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
