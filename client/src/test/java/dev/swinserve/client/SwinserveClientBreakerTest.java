package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.resilience.BreakerSnapshot;
import dev.swinserve.client.testing.FakeClassifier;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SwinserveClientBreakerTest extends FakeServersTest {

  /** Opens at 50 % of the last 4 calls, waits 10 s, then lets 2 probes through; no retries. */
  private static final ClientConfig CONFIG =
      ClientTests.config()
          .withBreaker(ClientTests.countBreaker(4, 100))
          .withRetry(ClientTests.SINGLE_ATTEMPT);

  private final ClientTests.Transitions transitions = new ClientTests.Transitions();

  @Test
  void opensAfterTheConfiguredFailuresRejectsFastHalfOpensAndClosesOnSuccess() {
    client = ClientTests.client(CONFIG, clock, transitions, server);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("model loading"));

    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.UNAVAILABLE));

    assertThat(transitions.seen).containsExactly("server-0: CLOSED -> OPEN");
    assertThatThrownBy(() -> client.classify(request("while-open"), DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getCause()).isInstanceOf(CallNotPermittedException.class);
            });
    assertThat(server.classifier().unaryRequests())
        .as("rejected without reaching the server")
        .hasSize(4);
    assertThat(client.breakers().get(0).rejectedCalls()).isEqualTo(1);

    server.classifier().recover();
    clock.advance(Duration.ofSeconds(10).plusMillis(1));
    client.classify(request("probe-1"), DEADLINE);
    client.classify(request("probe-2"), DEADLINE);

    assertThat(transitions.seen)
        .containsExactly(
            "server-0: CLOSED -> OPEN",
            "server-0: OPEN -> HALF_OPEN",
            "server-0: HALF_OPEN -> CLOSED");
    assertThat(client.breakers().get(0).state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void staysOpenUntilTheWaitIsOverAndReopensWhenAProbeFails() {
    client = ClientTests.client(CONFIG, clock, transitions, server);
    server.classifier().failWith(Status.INTERNAL.withDescription("bug"));
    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.INTERNAL));

    clock.advance(Duration.ofSeconds(9));
    assertFails(Status.Code.UNAVAILABLE);
    clock.advance(Duration.ofSeconds(2));
    assertFails(Status.Code.INTERNAL);
    assertFails(Status.Code.INTERNAL);

    assertThat(server.classifier().unaryRequests()).hasSize(6);
    assertThat(transitions.seen)
        .containsExactly(
            "server-0: CLOSED -> OPEN",
            "server-0: OPEN -> HALF_OPEN",
            "server-0: HALF_OPEN -> OPEN");
  }

  @Test
  void callerMistakesNeverOpenIt() {
    client = ClientTests.client(CONFIG, clock, transitions, server);

    server.classifier().failWith(Status.INVALID_ARGUMENT.withDescription("cannot decode image"));
    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.INVALID_ARGUMENT));
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model 'tiny'"));
    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.NOT_FOUND));
    server.classifier().failWith(Status.RESOURCE_EXHAUSTED.withDescription("message too large"));
    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.RESOURCE_EXHAUSTED));

    BreakerSnapshot breaker = client.breakers().get(0);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.failedCalls()).isZero();
    assertThat(transitions.seen).isEmpty();
  }

  @Test
  void serverSentLoadSheddingCountsAsUnwell() {
    client = ClientTests.client(CONFIG, clock, transitions, server);
    server.classifier().shed(Duration.ofMillis(1));

    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.RESOURCE_EXHAUSTED));

    assertThat(client.breakers().get(0).state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void whileOpenCallsGoToTheFallbackModel() {
    ModelSpec fallback = ModelSpec.newBuilder().setName("tiny").setLabel("stable").build();
    client = ClientTests.client(CONFIG.withFallbackModel(fallback), clock, transitions, server);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("model loading"));
    IntStream.range(0, 4).forEach(i -> assertFails(Status.Code.UNAVAILABLE));
    server.classifier().recover();

    ClassifyResponse response = client.classify(request("degraded"), DEADLINE);

    assertThat(response.getModel().getVersion()).isEqualTo(FakeClassifier.LABELLED_VERSION);
    assertThat(server.classifier().unaryRequests())
        .last()
        .extracting(ClassifyRequest::getModel)
        .isEqualTo(fallback);
    assertThat(client.breakers().get(0).state())
        .as("the fallback does not probe the breaker")
        .isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void eachEndpointHasItsOwnBreakerAndAnOpenOneIsPassedOver() {
    client = ClientTests.client(CONFIG, clock, transitions, server, other);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("shutting down"));

    int failures = 0;
    for (int i = 0; i < 8; i++) {
      try {
        client.classify(request("r" + i), DEADLINE);
      } catch (StatusRuntimeException e) {
        failures++;
      }
    }
    IntStream.range(8, 12).forEach(i -> client.classify(request("r" + i), DEADLINE));

    assertThat(failures).isEqualTo(4);
    assertThat(transitions.seen).containsExactly("server-0: CLOSED -> OPEN");
    assertThat(client.breakers().get(0).rejectedCalls()).as("passed over, not refused").isZero();
    assertThat(server.classifier().unaryRequests()).hasSize(4);
    assertThat(other.classifier().unaryRequests()).hasSize(8);
  }

  @Test
  void slowCallsOpenItToo() throws Exception {
    ClientConfig slow = CONFIG.withBreaker(ClientTests.countBreaker(4, 50));
    client = ClientTests.client(slow, clock, transitions, server);
    // Each call is answered only once the manual clock has moved 6 s: every call is slow by the
    // clock.
    AtomicInteger advances = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      int call = i;
      server.classifier().answerUnaryWhen(() -> advances.get() > call);
      var answer = client.classifyAsync(request("slow-" + i), DEADLINE);
      clock.advance(Duration.ofSeconds(6));
      advances.incrementAndGet();
      answer.get();
    }

    BreakerSnapshot breaker = client.breakers().get(0);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.failedCalls()).as("slow, not failed").isZero();
    assertThat(breaker.slowCallRatePercent()).isEqualTo(100);
  }

  @Test
  void anOpenEndpointGetsItsProbeOnceItsWaitIsOver() {
    client = ClientTests.client(CONFIG, clock, transitions, server, other);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("restarting"));
    for (int i = 0; i < 8; i++) {
      try {
        client.classify(request("r" + i), DEADLINE);
      } catch (StatusRuntimeException expected) {
        // server-0's failures open its breaker
      }
    }
    server.classifier().recover();
    clock.advance(Duration.ofSeconds(11));

    IntStream.range(0, 4).forEach(i -> client.classify(request("after-" + i), DEADLINE));

    assertThat(transitions.seen)
        .containsExactly(
            "server-0: CLOSED -> OPEN",
            "server-0: OPEN -> HALF_OPEN",
            "server-0: HALF_OPEN -> CLOSED");
    assertThat(server.classifier().unaryRequests()).hasSize(6);
  }

  private void assertFails(Status.Code code) {
    assertThatThrownBy(() -> client.classify(request("failing"), DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
