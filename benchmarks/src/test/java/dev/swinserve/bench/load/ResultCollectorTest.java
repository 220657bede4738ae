package dev.swinserve.bench.load;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.LoadResult.ErrorCount;
import dev.swinserve.bench.load.LoadResult.Second;
import dev.swinserve.bench.load.Phases.Phase;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultCollectorTest {

  private static final long START = 1_000_000_000L;
  private static final long MILLI = 1_000_000L;
  private static final LoadSpec SPEC =
      LoadSpec.builder(ModelSpec.newBuilder().setName("tiny").build())
          .images(List.of(Path.of("a.png")))
          .duration(Duration.ofSeconds(3))
          .build();

  /** Counting by request phase, as a run by request count does. */
  private final ResultCollector collector = new ResultCollector(START, Long.MAX_VALUE);

  @Test
  void aRunByDurationCountsTheAnswersThatArriveInsideTheWindow() {
    ResultCollector window = new ResultCollector(START, START + 3000 * MILLI);
    // Sent in warm-up, answered inside: counts. Answered after the window: does not.
    window.answered(Phase.WARMUP, START - 500 * MILLI, START + 100 * MILLI, 1, Status.OK);
    window.answered(Phase.MEASURED, START + 2000 * MILLI, START + 2900 * MILLI, 1, Status.OK);
    window.answered(Phase.MEASURED, START + 2500 * MILLI, START + 3500 * MILLI, 1, Status.OK);
    window.answered(Phase.WARMUP, START - 900 * MILLI, START - 100 * MILLI, 1, Status.OK);

    LoadResult result = window.result(SPEC, "here", Instant.EPOCH, START + 3000 * MILLI);

    assertThat(result.succeeded()).isEqualTo(2);
    assertThat(result.elapsed())
        .as("the window, however late the last answer")
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(result.latency().maxMicros()).isBetween(899_000L, 901_000L);
  }

  @Test
  void countsMeasuredAnswersOnlyWithLatencyInMicroseconds() {
    collector.answered(Phase.WARMUP, START - 50 * MILLI, START - 40 * MILLI, 1, Status.OK);
    for (int i = 1; i <= 100; i++) {
      collector.answered(Phase.MEASURED, START, START + i * MILLI, 2, Status.OK);
    }

    LoadResult result = collector.result(SPEC, "here", Instant.EPOCH, START + 3000 * MILLI);

    assertThat(result.requests()).isEqualTo(100);
    assertThat(result.succeeded()).isEqualTo(100);
    assertThat(result.images()).isEqualTo(200);
    assertThat(result.latency().p50Micros()).isBetween(49_950L, 50_050L);
    assertThat(result.latency().p99Micros()).isBetween(98_900L, 99_100L);
    assertThat(result.latency().maxMicros()).isBetween(99_900L, 100_100L);
    assertThat(result.elapsed())
        .as("planned end is later than the last answer")
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(result.requestsPerSecond()).isCloseTo(100 / 3.0, offset(1e-9));
    assertThat(result.imagesPerSecond()).isCloseTo(200 / 3.0, offset(1e-9));
  }

  @Test
  void errorsAreCountedByCodeKeepingTheFirstMessageAndStayOutOfLatency() {
    collector.answered(
        Phase.MEASURED, START, START + MILLI, 1, Status.UNAVAILABLE.withDescription("first"));
    collector.answered(
        Phase.MEASURED,
        START,
        START + 900 * MILLI,
        1,
        Status.UNAVAILABLE.withDescription("second"));
    collector.answered(Phase.MEASURED, START, START + 2 * MILLI, 1, Status.DEADLINE_EXCEEDED);
    collector.answered(Phase.MEASURED, START, START + 3 * MILLI, 1, Status.OK);
    collector.dropped(Phase.MEASURED);
    collector.dropped(Phase.WARMUP);

    LoadResult result = collector.result(SPEC, "here", Instant.EPOCH, START);

    assertThat(result.errors())
        .containsExactly(
            entry(Status.Code.DEADLINE_EXCEEDED, new ErrorCount(1, "")),
            entry(Status.Code.UNAVAILABLE, new ErrorCount(2, "first")));
    assertThat(result.failed()).isEqualTo(3);
    assertThat(result.dropped()).isEqualTo(1);
    assertThat(result.latency().maxMicros()).isBetween(2_990L, 3_010L);
    assertThat(result.elapsed()).as("last answer").isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void timelineHasOneEntryPerSecondByAnswerTimeGapsIncluded() {
    collector.answered(Phase.MEASURED, START, START + 10 * MILLI, 1, Status.OK);
    collector.answered(Phase.MEASURED, START, START + 20 * MILLI, 1, Status.OK);
    collector.answered(Phase.MEASURED, START + 2000 * MILLI, START + 2500 * MILLI, 1, Status.OK);
    collector.answered(
        Phase.MEASURED, START + 2000 * MILLI, START + 2600 * MILLI, 1, Status.INTERNAL);

    List<Second> timeline = collector.result(SPEC, "here", Instant.EPOCH, START).timeline();

    assertThat(timeline).extracting(Second::second).containsExactly(0, 1, 2);
    assertThat(timeline).extracting(Second::succeeded).containsExactly(2L, 0L, 1L);
    assertThat(timeline).extracting(Second::failed).containsExactly(0L, 0L, 1L);
    assertThat(timeline.get(0).p50Micros()).isBetween(9_990L, 10_010L);
    assertThat(timeline.get(0).p99Micros()).isBetween(19_980L, 20_020L);
    assertThat(timeline.get(1).p99Micros()).isZero();
    assertThat(timeline.get(2).p50Micros()).isBetween(499_000L, 501_000L);
  }

  @Test
  void nothingMeasuredGivesZerosNotNaN() {
    LoadResult result = collector.result(SPEC, "here", Instant.EPOCH, START);

    assertThat(result.requests()).isZero();
    assertThat(result.latency()).isEqualTo(LoadResult.Latency.NONE);
    assertThat(result.requestsPerSecond()).isZero();
    assertThat(result.timeline()).isEmpty();
  }
}
