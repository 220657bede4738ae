package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.client.resilience.BreakerSnapshot;
import dev.swinserve.client.resilience.RetryConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Streams ask their endpoint's breaker before opening and report how each attempt went. */
class SwinserveClientStreamBreakerTest extends FakeServersTest {

  /**
   * Opens at 50 % of the last 4 calls, or 50 % slower than 5 s; waits 10 s, then 2 probes; no
   * reconnection.
   */
  private static final ClientConfig CONFIG =
      ClientTests.config()
          .withBreaker(ClientTests.countBreaker(4, 50))
          .withRetry(ClientTests.SINGLE_ATTEMPT);

  private final ClientTests.Transitions transitions = new ClientTests.Transitions();
  private final List<ClassifyRequest> requests =
      IntStream.range(0, 5).mapToObj(i -> request("r" + i)).toList();

  @Test
  void streamsBreakingWithUnavailableOpenItAndANewStreamIsThenRefusedWithoutReachingTheServer() {
    client = ClientTests.client(CONFIG, clock, transitions, server);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("shutting down"));

    IntStream.range(0, 4).forEach(i -> assertStreamFails(Status.Code.UNAVAILABLE));

    assertThat(transitions.seen).containsExactly("server-0: CLOSED -> OPEN");
    assertThatThrownBy(this::stream)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("'server-0' is OPEN");
              assertThat(e.getCause()).isInstanceOf(CallNotPermittedException.class);
            });
    assertThat(server.classifier().streams())
        .as("the refused stream never reached the server")
        .hasSize(4);
    assertThat(client.breakers().get(0).rejectedCalls()).isEqualTo(1);
  }

  @Test
  void whileOneEndpointsBreakerIsOpenStreamsGoToTheOther() throws InterruptedException {
    client = ClientTests.client(CONFIG, clock, transitions, server, other);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("shutting down"));
    int failures = 0;
    for (int i = 0; i < 8; i++) {
      try {
        stream();
      } catch (StatusRuntimeException e) {
        failures++;
      }
    }

    for (int i = 0; i < 4; i++) {
      stream();
    }

    assertThat(failures).isEqualTo(4);
    assertThat(transitions.seen).containsExactly("server-0: CLOSED -> OPEN");
    assertThat(server.classifier().streams()).hasSize(4);
    assertThat(other.classifier().streams()).hasSize(8);
    assertThat(client.breakers().get(0).rejectedCalls()).as("passed over, not refused").isZero();
  }

  @Test
  void callerMistakesNeverOpenIt() throws InterruptedException {
    client = ClientTests.client(CONFIG, clock, transitions, server);
    server.classifier().rejectImage(ByteString.copyFrom(new byte[7]));
    for (int i = 0; i < 4; i++) {
      stream(); // every answer an INVALID_ARGUMENT error
    }
    server.classifier().failWith(Status.INVALID_ARGUMENT.withDescription("bad request"));
    IntStream.range(0, 4).forEach(i -> assertStreamFails(Status.Code.INVALID_ARGUMENT));
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model 'tiny'"));
    IntStream.range(0, 4).forEach(i -> assertStreamFails(Status.Code.NOT_FOUND));

    BreakerSnapshot breaker = client.breakers().get(0);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.failedCalls()).isZero();
    assertThat(breaker.bufferedCalls()).as("a full window of answered calls").isEqualTo(4);
    assertThat(transitions.seen).isEmpty();
  }

  @Test
  void aLongLivedHealthyStreamIsNotASlowCall() throws InterruptedException {
    client = ClientTests.client(CONFIG, clock, transitions, server);

    for (int i = 0; i < 4; i++) {
      // Each request is read 10 s after the one before: a stream of a minute, by the client's
      // clock.
      client.classifyStream(
          advancingTheClock(requests.iterator(), Duration.ofSeconds(10)),
          2,
          response -> {},
          DEADLINE);
    }

    BreakerSnapshot breaker = client.breakers().get(0);
    assertThat(breaker.bufferedCalls()).isEqualTo(4);
    assertThat(breaker.slowCallRatePercent()).isZero();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void streamsAreTheProbesOfAHalfOpenBreaker() throws InterruptedException {
    client = ClientTests.client(CONFIG, clock, transitions, server);
    server.classifier().failWith(Status.INTERNAL.withDescription("bug"));
    IntStream.range(0, 4).forEach(i -> assertStreamFails(Status.Code.INTERNAL));
    server.classifier().recover();
    clock.advance(Duration.ofSeconds(10).plusMillis(1));

    stream();
    stream();

    assertThat(transitions.seen)
        .containsExactly(
            "server-0: CLOSED -> OPEN",
            "server-0: OPEN -> HALF_OPEN",
            "server-0: HALF_OPEN -> CLOSED");
  }

  @Test
  void aRefusedReconnectionWaitsAndTriesAgainWithinTheAttemptLimit() {
    ClientConfig config =
        CONFIG
            .withBreaker(ClientTests.countBreaker(2, 100))
            .withRetry(
                new RetryConfig(4, Duration.ofMillis(1), 2, Duration.ofMillis(5), 0, 0.1, 10));
    client = ClientTests.client(config, clock, transitions, server);
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("restarting"));

    assertThatThrownBy(this::stream)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getCause())
                  .as("the last attempt was refused")
                  .isInstanceOf(CallNotPermittedException.class);
            });
    assertThat(server.classifier().streams()).as("two broke and opened the breaker").hasSize(2);
    assertThat(client.breakers().get(0).rejectedCalls()).as("the other two attempts").isEqualTo(2);
  }

  private void stream() throws InterruptedException {
    client.classifyStream(requests.iterator(), 2, response -> {}, DEADLINE);
  }

  private void assertStreamFails(Status.Code code) {
    assertThatThrownBy(this::stream)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  private Iterator<ClassifyRequest> advancingTheClock(
      Iterator<ClassifyRequest> requests, Duration step) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return requests.hasNext();
      }

      @Override
      public ClassifyRequest next() {
        clock.advance(step);
        return requests.next();
      }
    };
  }
}
