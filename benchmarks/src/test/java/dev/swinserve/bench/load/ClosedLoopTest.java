package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.LoadResult.ErrorCount;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.FixtureImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unary closed loops against an in-process fake that answers after a delay. */
class ClosedLoopTest {

  private static final ModelSpec TINY =
      ModelSpec.newBuilder().setName("tiny").setLabel("canary").build();

  private final FakeServer server = new FakeServer();
  private final ManagedChannel channel = server.channel();
  private final LoadSpec.Builder spec =
      LoadSpec.builder(TINY)
          .warmup(Duration.ZERO)
          .images(List.of(FixtureImages.image("rocket.jpg"), FixtureImages.image("chelsea.png")));

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void keepsExactlyConcurrencyCallsOutstanding() throws InterruptedException {
    server.classifier().delayUnaryAnswers(Duration.ofMillis(20));

    LoadResult result = new LoadGenerator().run(spec.concurrency(4).requests(40).build(), channel);

    assertThat(server.classifier().maxConcurrentUnaryCalls()).isEqualTo(4);
    assertThat(result.requests()).isEqualTo(40);
    assertThat(result.succeeded()).isEqualTo(40);
  }

  @Test
  void sendsExactlyTheRequestCountWithTheModelAndCycledImages() throws InterruptedException {
    LoadResult result =
        new LoadGenerator().run(spec.concurrency(3).requests(25).batch(2).build(), channel);

    List<ClassifyRequest> sent = server.classifier().unaryRequests();
    assertThat(sent)
        .hasSize(25)
        .allMatch(request -> request.getModel().equals(TINY))
        .allMatch(request -> request.getImagesCount() == 2);
    assertThat(result.requests()).isEqualTo(25);
    assertThat(result.images()).isEqualTo(50);
    assertThat(result.latency().p50Micros()).isPositive();
    assertThat(result.latency().maxMicros()).isGreaterThanOrEqualTo(result.latency().p99Micros());
    assertThat(result.target()).isEqualTo(channel.authority());
  }

  @Test
  void warmupRequestsAreSentButNotCounted() throws InterruptedException {
    server.classifier().delayUnaryAnswers(Duration.ofMillis(5));

    LoadResult result =
        new LoadGenerator()
            .run(spec.concurrency(1).warmup(Duration.ofMillis(200)).requests(10).build(), channel);

    assertThat(result.requests()).isEqualTo(10);
    assertThat(server.classifier().unaryRequests()).hasSizeGreaterThan(10);
  }

  @Test
  void errorsAreCountedByCodeWithTheirFirstMessage() throws InterruptedException {
    server
        .classifier()
        .failEvery(4, Status.RESOURCE_EXHAUSTED.withDescription("queue full (8 waiting)"));

    LoadResult result = new LoadGenerator().run(spec.concurrency(2).requests(20).build(), channel);

    assertThat(result.requests()).isEqualTo(20);
    assertThat(result.failed()).isEqualTo(5);
    assertThat(result.errors()).containsOnlyKeys(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(result.errors().get(Status.Code.RESOURCE_EXHAUSTED))
        .isEqualTo(new ErrorCount(5, "queue full (8 waiting)"));
    assertThat(result.timeline().stream().mapToLong(LoadResult.Second::failed).sum()).isEqualTo(5);
  }

  @Test
  void aServerThatIsDownFailsEveryRequestAndTheRunStillEnds() throws InterruptedException {
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("connection refused"));

    LoadResult result = new LoadGenerator().run(spec.concurrency(2).requests(40).build(), channel);

    assertThat(result.succeeded()).isZero();
    assertThat(result.errors()).containsOnlyKeys(Status.Code.UNAVAILABLE);
    assertThat(result.errors().get(Status.Code.UNAVAILABLE).count())
        .isEqualTo(result.requests())
        .isEqualTo(40);
  }

  @Test
  void byDurationMeasuresAtLeastThatLongAndFillsTheTimeline() throws InterruptedException {
    server.classifier().delayUnaryAnswers(Duration.ofMillis(2));

    LoadResult result =
        new LoadGenerator()
            .run(spec.concurrency(2).duration(Duration.ofMillis(1200)).build(), channel);

    assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    assertThat(result.requests()).isPositive().isEqualTo(result.succeeded());
    assertThat(result.timeline()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(result.timeline().stream().mapToLong(LoadResult.Second::succeeded).sum())
        .isEqualTo(result.succeeded());
  }
}
