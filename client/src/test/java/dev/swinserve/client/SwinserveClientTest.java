package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.testing.FakeClassifierStream;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SwinserveClientTest extends FakeServersTest {

  @Test
  void blockingAndAsyncCallsReturnTheServersAnswer() throws Exception {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);

    ClassifyResponse blocking = client.classify(request("blocking"));
    ClassifyResponse async = client.classifyAsync(request("async")).get(10, TimeUnit.SECONDS);

    assertThat(blocking.getRequestId()).isEqualTo("blocking");
    assertThat(async.getRequestId()).isEqualTo("async");
    assertThat(async.getClassifications(0).getClasses(0).getLabel()).isEqualTo("bytes-7");
    assertThat(server.classifier().unaryRequests())
        .as("sent as given")
        .containsExactly(request("blocking"), request("async"));
  }

  @Test
  void failuresCarryTheServersStatusAndDescription() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model 'tiny'"));

    assertThatThrownBy(() -> client.classify(request("unknown-model"), DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no model 'tiny'");
            });
  }

  @Test
  void deadlineHoldsAgainstAHangingServer() {
    server.classifier().hangUnaryCalls();
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    long start = System.nanoTime();

    assertThatThrownBy(() -> client.classify(request("hung"), Duration.ofMillis(200)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("ended by the deadline, not a hang")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(server.classifier().unaryRequests())
        .as("DEADLINE_EXCEEDED is not retried")
        .hasSize(1);
  }

  @Test
  void defaultDeadlineAppliesWhenNoneIsGiven() {
    server.classifier().hangUnaryCalls();
    client =
        ClientTests.client(
            ClientTests.config().withDefaultDeadline(Duration.ofMillis(100)),
            clock,
            BreakerListener.NONE,
            server);

    assertThatThrownBy(() -> client.classify(request("hung")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void bulkheadRefusesCallsBeyondTheLimitAtOnce() {
    server.classifier().hangUnaryCalls();
    client =
        ClientTests.client(
            ClientTests.config().withMaxConcurrentCalls(1), clock, BreakerListener.NONE, server);
    CompletableFuture<ClassifyResponse> first = client.classifyAsync(request("first"), DEADLINE);

    assertThatThrownBy(() -> client.classify(request("second"), DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getCause()).isInstanceOf(BulkheadFullException.class);
            });
    assertThat(first).isNotDone();
    assertThat(client.breakers().get(0).bufferedCalls())
        .as("a refusal says nothing about the server")
        .isZero();
  }

  @Test
  void cancellingTheFutureCancelsTheCallInFlight() {
    server.classifier().hangUnaryCalls();
    client =
        ClientTests.client(
            ClientTests.config().withMaxConcurrentCalls(1), clock, BreakerListener.NONE, server);
    CompletableFuture<ClassifyResponse> first =
        client.classifyAsync(request("abandoned"), DEADLINE);

    first.cancel(true);

    // The bulkhead's only permit comes back once the cancelled call has ended; until then it
    // refuses.
    // The cancellation ends on a gRPC thread: give it real time, however busy the machine.
    Status.Code code =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> codeOf(request("next")), next -> next != Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code)
        .as("the permit was returned: the next call ran into its own deadline")
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aStaticListSpreadsCallsOverEveryEndpoint() {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server, other);

    IntStream.range(0, 6).forEach(i -> client.classify(request("r" + i), DEADLINE));

    assertThat(server.classifier().unaryRequests()).hasSize(3);
    assertThat(other.classifier().unaryRequests()).hasSize(3);
    assertThat(client.breakers())
        .extracting(snapshot -> snapshot.endpoint())
        .containsExactly("server-0", "server-1");
  }

  @Test
  void staticListTargetsGetAChannelPerAddress() {
    var channels = ClientChannels.forClient("alpha:8500, beta:8500,");
    try {
      assertThat(channels.keySet()).containsExactly("alpha:8500", "beta:8500");
      assertThat(channels.get("alpha:8500").authority()).isEqualTo("alpha:8500");
    } finally {
      channels.values().forEach(ClientChannels::shutdown);
    }
    var dns = ClientChannels.forClient("dns:///swinserve.default.svc:8500");
    try {
      assertThat(dns.keySet()).containsExactly("dns:///swinserve.default.svc:8500");
    } finally {
      dns.values().forEach(ClientChannels::shutdown);
    }
  }

  @Test
  void streamingDeliversEveryResponseOnceAndPipelinesUpToMaxInFlight() throws InterruptedException {
    client = ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
    server.classifier().answerStreamsInGroupsOf(3);
    List<ClassifyRequest> requests =
        IntStream.range(0, 20).mapToObj(i -> request("s" + i)).toList();
    List<String> delivered = new CopyOnWriteArrayList<>();

    client.classifyStream(
        requests.iterator(), 3, response -> delivered.add(response.getRequestId()), DEADLINE);

    List<String> ids = requests.stream().map(ClassifyRequest::getRequestId).toList();
    assertThat(delivered).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(delivered).as("the fake answers out of order").isNotEqualTo(ids);
    assertThat(server.classifier().streams()).hasSize(1);
    FakeClassifierStream stream = server.classifier().streams().get(0);
    assertThat(stream.requests())
        .as("sent once each, in order")
        .containsExactlyElementsOf(requests);
    assertThat(stream.maxOutstanding()).as("pipelined up to the limit, never beyond").isEqualTo(3);
  }

  /** The status of a call, OK if it was answered. */
  private Status.Code codeOf(ClassifyRequest request) {
    try {
      client.classify(request, Duration.ofMillis(50));
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
