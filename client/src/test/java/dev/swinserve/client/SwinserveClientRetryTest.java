package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.resilience.RetryConfig;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.ManualClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwinserveClientRetryTest {

  private final FakeServer server = new FakeServer();
  private final ManualClock clock = new ManualClock();
  private SwinserveClient client;

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  @Test
  void unavailableIsRetriedUntilItSucceeds() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server.classifier().failNext(2, Status.UNAVAILABLE.withDescription("model loading"));

    assertThat(client.classify(request("eventually"), DEADLINE).getRequestId())
        .isEqualTo("eventually");

    assertThat(server.classifier().unaryRequests()).hasSize(3);
    assertThat(client.retryMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void attemptsStopAtTheConfiguredMaximum() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("model loading"));

    assertFails(Status.Code.UNAVAILABLE);

    assertThat(server.classifier().unaryRequests()).hasSize(3);
  }

  @Test
  void onlyRetryableCodesAreRetried() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);

    for (Status status :
        List.of(
            Status.INVALID_ARGUMENT,
            Status.NOT_FOUND,
            Status.INTERNAL,
            Status.UNKNOWN,
            Status.RESOURCE_EXHAUSTED.withDescription("message too large"))) {
      server.classifier().failWith(status);
      assertFails(status.getCode());
    }

    assertThat(server.classifier().unaryRequests()).as("one attempt each").hasSize(5);
  }

  @Test
  void loadSheddingWithPushbackIsRetried() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server.classifier().shed(Duration.ofMillis(1));

    assertFails(Status.Code.RESOURCE_EXHAUSTED);

    assertThat(server.classifier().unaryRequests()).hasSize(3);
  }

  @Test
  void retriesStayWithinTheBudget() {
    // 1 token at most, half a token per call: a retry every other call, however many attempts.
    ClientConfig config =
        ClientTests.config()
            .withRetry(
                new RetryConfig(5, Duration.ofMillis(1), 2, Duration.ofMillis(5), 0, 0.5, 1));
    client = ClientTests.client(config, clock, BreakerListener.NONE, server);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("outage"));

    List<Integer> attempts = new ArrayList<>();
    for (int call = 0; call < 4; call++) {
      int before = server.classifier().unaryRequests().size();
      assertFails(Status.Code.UNAVAILABLE);
      attempts.add(server.classifier().unaryRequests().size() - before);
    }

    assertThat(attempts).containsExactly(2, 1, 2, 1);
  }

  @Test
  void noRetryIsMadeWhoseWaitWouldOutlastTheDeadline() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server
        .classifier()
        .failWith(Status.UNAVAILABLE.withDescription("restarting"), Duration.ofMinutes(1));

    CompletableFuture<ClassifyResponse> answer =
        client.classifyAsync(request("pushed-back"), DEADLINE);

    assertThat(answer)
        .as("failed at once, not when the deadline passed")
        .failsWithin(DEADLINE.dividedBy(2))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("restarting");
            });
    assertThat(server.classifier().unaryRequests()).as("one attempt reached the server").hasSize(1);
  }

  @Test
  void aRetryWhoseWaitEndsBeforeTheDeadlineIsMade() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server
        .classifier()
        .failWith(Status.UNAVAILABLE.withDescription("restarting"), Duration.ofMillis(50));

    assertFails(Status.Code.UNAVAILABLE);

    assertThat(server.classifier().unaryRequests())
        .as("the pushback fits the deadline twice")
        .hasSize(3);
  }

  private void assertFails(Status.Code code) {
    assertThatThrownBy(() -> client.classify(request("failing"), DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
