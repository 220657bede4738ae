package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.testing.FakeClassifierStream;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.ManualClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwinserveClientStreamTest {

  private final FakeServer server = new FakeServer();
  private final ManualClock clock = new ManualClock();
  private final SwinserveClient client =
      ClientTests.client(ClientTests.config(), clock, BreakerListener.NONE, server);
  private final List<ClassifyRequest> requests =
      IntStream.range(0, 20).mapToObj(i -> request("r" + i)).toList();
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  @Test
  void aBrokenStreamIsReopenedAndItsUnansweredRequestsSentAgainWithoutDuplicatesOrLosses()
      throws InterruptedException {
    server.classifier().answerStreamsInGroupsOf(2);
    server
        .classifier()
        .breakNextStreamAfter(5, Status.UNAVAILABLE.withDescription("server shutting down"));

    client.classifyStream(
        requests.iterator(), 4, response -> delivered.add(response.getRequestId()), DEADLINE);

    assertThat(delivered)
        .as("each result exactly once")
        .containsExactlyInAnyOrderElementsOf(ids(requests));
    List<FakeClassifierStream> streams = server.classifier().streams();
    assertThat(streams).hasSize(2);
    List<String> unansweredByTheFirst =
        ids(streams.get(0).requests()).stream()
            .filter(id -> !streams.get(0).answeredRequestIds().contains(id))
            .toList();
    assertThat(unansweredByTheFirst).isNotEmpty();
    assertThat(ids(streams.get(1).requests()))
        .as("resent first")
        .startsWith(unansweredByTheFirst.toArray(String[]::new));
    assertThat(streams)
        .allSatisfy(stream -> assertThat(stream.maxOutstanding()).isLessThanOrEqualTo(4));
  }

  @Test
  void duplicateAnswersAreDeliveredOnce() throws InterruptedException {
    server.classifier().duplicateStreamAnswers();

    client.classifyStream(
        requests.iterator(), 3, response -> delivered.add(response.getRequestId()), DEADLINE);

    assertThat(delivered)
        .hasSize(requests.size())
        .containsExactlyInAnyOrderElementsOf(ids(requests));
  }

  @Test
  void aCallerMistakeIsNotRetried() {
    server.classifier().failWith(Status.INVALID_ARGUMENT.withDescription("bad"));

    assertThatThrownBy(
            () -> client.classifyStream(requests.iterator(), 2, response -> {}, DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(server.classifier().streams()).hasSize(1);
  }

  @Test
  void reconnectionsStopAfterMaxAttemptsWithoutAnAnswer() {
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("model loading"));

    assertThatThrownBy(
            () -> client.classifyStream(requests.iterator(), 2, response -> {}, DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("model loading");
            });
    assertThat(server.classifier().streams()).as("3 attempts").hasSize(3);
  }

  @Test
  void aStreamWithNoRequestsEndsCleanly() throws InterruptedException {
    client.classifyStream(
        List.<ClassifyRequest>of().iterator(),
        4,
        response -> delivered.add(response.getRequestId()),
        DEADLINE);

    assertThat(delivered).isEmpty();
    assertThat(server.classifier().streams()).hasSize(1);
  }

  @Test
  void aConsumerFailureCancelsTheStreamAndIsRethrown() {
    IllegalStateException broken = new IllegalStateException("disk full");

    assertThatThrownBy(
            () ->
                client.classifyStream(
                    requests.iterator(),
                    2,
                    response -> {
                      throw broken;
                    },
                    DEADLINE))
        .isSameAs(broken);
    assertThat(server.classifier().streams()).as("not reopened").hasSize(1);
    assertThat(server.classifier().streams().get(0).requests())
        .as("nothing more is sent after the failure")
        .hasSizeLessThan(requests.size());
  }

  @Test
  void maxInFlightMustBePositive() {
    assertThatThrownBy(
            () -> client.classifyStream(requests.iterator(), 0, response -> {}, DEADLINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxInFlight");
    assertThat(server.classifier().streams()).isEmpty();
  }

  @Test
  void noReconnectionIsMadeWhoseWaitWouldOutlastTheDeadline() {
    server
        .classifier()
        .failWith(Status.UNAVAILABLE.withDescription("restarting"), Duration.ofMinutes(1));

    CompletableFuture<Void> stream =
        CompletableFuture.runAsync(
            () -> {
              try {
                client.classifyStream(requests.iterator(), 2, response -> {}, DEADLINE);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(stream)
        .as("failed at once, not when the deadline passed")
        .failsWithin(DEADLINE.dividedBy(2))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(server.classifier().streams()).as("one stream reached the server").hasSize(1);
  }

  @Test
  void requestsNeedUniqueIds() {
    List<ClassifyRequest> repeated = List.of(request("same"), request("same"));

    assertThatThrownBy(
            () -> client.classifyStream(repeated.iterator(), 2, response -> {}, DEADLINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request_id");
  }

  private static List<String> ids(List<ClassifyRequest> requests) {
    return requests.stream().map(ClassifyRequest::getRequestId).toList();
  }
}
