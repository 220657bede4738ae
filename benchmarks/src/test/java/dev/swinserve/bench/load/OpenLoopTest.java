package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.testing.FakeClassifierStream;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.FixtureImages;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Open loops paced on a {@link ManualTicker}: the timetable, not the machine's speed, decides how
 * many requests are due, so the counts are exact.
 */
class OpenLoopTest {

  private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05Z");

  private final ManualTicker ticker = new ManualTicker();
  private final LoadSpec.Builder spec =
      LoadSpec.builder(ModelSpec.newBuilder().setName("tiny").build())
          .images(List.of(FixtureImages.image("rocket.jpg")));
  private FakeServer server = new FakeServer();
  private ManagedChannel channel = server.channel();

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void sendsTheRateTimesTheDurationAfterTheWarmup() throws InterruptedException {
    LoadResult result =
        generator()
            .run(
                spec.ratePerSecond(100)
                    .warmup(Duration.ofMillis(500))
                    .duration(Duration.ofSeconds(2))
                    .build(),
                channel);

    assertThat(result.requests()).isEqualTo(200);
    assertThat(result.dropped()).isZero();
    assertThat(server.classifier().unaryRequests())
        .as("50 in the warm-up, 200 measured")
        .hasSize(250);
    assertThat(result.requestsPerSecond()).isCloseTo(100, offset(0.5));
    assertThat(result.startTime()).isEqualTo(STARTED);
  }

  @Test
  void byCountSendsExactlyThatManyAtTheRate() throws InterruptedException {
    LoadResult result =
        generator().run(spec.ratePerSecond(40).warmup(Duration.ZERO).requests(30).build(), channel);

    assertThat(result.requests()).isEqualTo(30);
    assertThat(server.classifier().unaryRequests()).hasSize(30);
    assertThat(result.requestsPerSecond())
        .as("30 requests 25 ms apart take 725 ms")
        .isCloseTo(30 / 0.725, offset(1.0));
  }

  @Test
  void requestsDueWhileTheBoundIsReachedAreDroppedNotQueued() throws InterruptedException {
    // No answer comes before the manual clock has run through the whole timetable.
    long timetableEnd = ticker.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    server.classifier().answerUnaryWhen(() -> ticker.nanoTime() >= timetableEnd);

    LoadResult result =
        generator()
            .run(
                spec.ratePerSecond(100)
                    .maxOutstanding(5)
                    .warmup(Duration.ZERO)
                    .duration(Duration.ofSeconds(1))
                    .build(),
                channel);

    assertThat(server.classifier().maxConcurrentUnaryCalls()).isEqualTo(5);
    assertThat(result.requests()).isEqualTo(5);
    assertThat(result.dropped()).isEqualTo(95);
  }

  @Test
  void latencyCountsFromTheScheduledTimeSoALateSenderShowsUp() throws InterruptedException {
    // Every wait overshoots by 300 ms; the synchronous fake answers within the send itself, so
    // from the actual send every latency would be 0.
    ManualTicker late = ManualTicker.oversleeping(Duration.ofMillis(300));
    useSynchronousServer();

    LoadResult result =
        new LoadGenerator(late, Clock.systemUTC())
            .run(spec.ratePerSecond(10).warmup(Duration.ZERO).requests(40).build(), channel);

    assertThat(result.requests()).isEqualTo(40);
    assertThat(result.latency().maxMicros()).isGreaterThanOrEqualTo(200_000);
    assertThat(result.latency().p50Micros()).isGreaterThanOrEqualTo(50_000);
  }

  @Test
  void streamModeSpreadsDueRequestsOverTheStreams() throws InterruptedException {
    server.classifier().answerStreamsInGroupsOf(1);

    LoadResult result =
        generator()
            .run(
                spec.mode(LoadMode.STREAM)
                    .concurrency(3)
                    .inFlight(50)
                    .ratePerSecond(50)
                    .warmup(Duration.ZERO)
                    .requests(60)
                    .build(),
                channel);

    assertThat(result.requests() + result.dropped()).isEqualTo(60);
    List<FakeClassifierStream> streams = server.classifier().streams();
    assertThat(streams).hasSize(3);
    assertThat(streams).allMatch(stream -> stream.requests().size() == 20);
    assertThat(streams).allMatch(stream -> stream.maxOutstanding() <= 50);
  }

  private LoadGenerator generator() {
    return new LoadGenerator(ticker, Clock.fixed(STARTED, ZoneOffset.UTC));
  }

  private void useSynchronousServer() {
    channel.shutdownNow();
    server.close();
    server = FakeServer.synchronous();
    channel = server.channel();
  }
}
