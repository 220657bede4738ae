package dev.swinserve.bench.load;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.LoadResult.ErrorCount;
import dev.swinserve.client.testing.FakeClassifierStream;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.FixtureImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stream-mode closed loops against a fake whose streams answer in groups, out of order. */
class StreamLoadTest {

  private final FakeServer server = new FakeServer();
  private final ManagedChannel channel = server.channel();
  private final LoadSpec.Builder spec =
      LoadSpec.builder(ModelSpec.newBuilder().setName("tiny").build())
          .mode(LoadMode.STREAM)
          .warmup(Duration.ZERO)
          .images(List.of(FixtureImages.image("rocket.jpg")));

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void eachStreamKeepsAtMostInFlightRequestsUnanswered() throws InterruptedException {
    server.classifier().answerStreamsInGroupsOf(4);

    LoadResult result =
        new LoadGenerator().run(spec.concurrency(2).inFlight(4).requests(60).build(), channel);

    List<FakeClassifierStream> streams = server.classifier().streams();
    assertThat(streams).hasSize(2);
    assertThat(streams)
        .extracting(FakeClassifierStream::maxOutstanding)
        .allMatch(max -> max <= 4)
        .contains(4);
    assertThat(streams.stream().mapToInt(stream -> stream.requests().size()).sum()).isEqualTo(60);
    assertThat(result.requests()).isEqualTo(60);
    assertThat(result.succeeded()).isEqualTo(60);
    assertThat(server.classifier().unaryRequests()).isEmpty();
  }

  @Test
  void requestIdsAreUniquePerStreamSoOutOfOrderAnswersPairUp() throws InterruptedException {
    server.classifier().answerStreamsInGroupsOf(3);

    LoadResult result =
        new LoadGenerator().run(spec.concurrency(1).inFlight(3).requests(30).build(), channel);

    FakeClassifierStream stream = server.classifier().streams().get(0);
    Set<String> ids =
        stream.requests().stream().map(ClassifyRequest::getRequestId).collect(Collectors.toSet());
    assertThat(ids).hasSize(30);
    assertThat(stream.answeredRequestIds())
        .as("answered out of order")
        .isNotEqualTo(stream.requests().stream().map(ClassifyRequest::getRequestId).toList());
    assertThat(result.succeeded()).as("every answer paired with its request").isEqualTo(30);
  }

  @Test
  void failedStreamRequestsAreCountedByTheirCodeAndTheStreamGoesOn() throws InterruptedException {
    server.classifier().answerStreamsInGroupsOf(2);
    server
        .classifier()
        .failEvery(5, Status.INVALID_ARGUMENT.withDescription("cannot decode image"));

    LoadResult result =
        new LoadGenerator().run(spec.concurrency(1).inFlight(2).requests(20).build(), channel);

    assertThat(result.requests()).isEqualTo(20);
    assertThat(result.errors())
        .containsExactly(
            entry(Status.Code.INVALID_ARGUMENT, new ErrorCount(4, "cannot decode image")));
    assertThat(server.classifier().streams()).hasSize(1);
  }

  @Test
  void aStreamRequestUnansweredPastTheDeadlineFailsItsStreamAndTheRunEnds()
      throws InterruptedException {
    server.classifier().stallStreams();

    LoadResult result =
        new LoadGenerator()
            .run(
                spec.concurrency(1)
                    .inFlight(3)
                    .requests(3)
                    .deadline(Duration.ofMillis(100))
                    .build(),
                channel);

    assertThat(result.succeeded()).isZero();
    assertThat(result.errors()).containsOnlyKeys(Status.Code.DEADLINE_EXCEEDED);
    assertThat(result.errors().get(Status.Code.DEADLINE_EXCEEDED).count()).isEqualTo(3);
  }
}
