package dev.swinserve.bench.load;

import dev.swinserve.bench.load.LoadResult.ErrorCount;
import dev.swinserve.bench.load.LoadResult.Latency;
import dev.swinserve.bench.load.LoadResult.Second;
import dev.swinserve.bench.load.Phases.Phase;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Counts answers as they arrive, on whatever thread delivers them, and turns them into a {@link
 * LoadResult} at the end. Thread-safe; warm-up answers are ignored here so that senders need not
 * care.
 */
final class ResultCollector {

  private static final int SIGNIFICANT_DIGITS = 3;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long measureStartNanos;
  // Guarded by this.
  private final Histogram overall = histogram();
  private final TreeMap<Integer, SecondCounts> seconds = new TreeMap<>();
  private final Map<Status.Code, Long> errorCounts = new EnumMap<>(Status.Code.class);
  private final Map<Status.Code, String> firstMessages = new EnumMap<>(Status.Code.class);
  private long requests;
  private long succeeded;
  private long images;
  private long dropped;
  private long lastAnswerNanos;

  /** {@link Long#MAX_VALUE} for a run by request count. */
  private final long measureEndNanos;

  /**
   * @param measureEndNanos when a closed-loop run by duration stops measuring; {@link
   *     Long#MAX_VALUE} for a run by request count and for an open loop, which count the requests
   *     they sent
   */
  ResultCollector(long measureStartNanos, long measureEndNanos) {
    this.measureStartNanos = measureStartNanos;
    this.measureEndNanos = measureEndNanos;
    this.lastAnswerNanos = measureStartNanos;
  }

  /**
   * One answered request of {@code images} images, sent (or scheduled) at {@code startNanos} and
   * answered at {@code endNanos} with {@code status}. A run by request count counts the MEASURED
   * requests; a run by duration counts the answers that arrive within the measured window, whenever
   * they were sent (as wrk does), so long latencies do not stretch the window.
   */
  synchronized void answered(
      Phase phase, long startNanos, long endNanos, int images, Status status) {
    boolean byCount = measureEndNanos == Long.MAX_VALUE;
    boolean counted =
        byCount
            ? phase == Phase.MEASURED
            : endNanos - measureStartNanos >= 0 && endNanos - measureEndNanos < 0;
    if (!counted) {
      return;
    }
    requests++;
    lastAnswerNanos = Math.max(lastAnswerNanos, endNanos);
    SecondCounts second =
        seconds.computeIfAbsent(
            (int) Math.max(0, (endNanos - measureStartNanos) / NANOS_PER_SECOND),
            ignored -> new SecondCounts());
    if (status.isOk()) {
      long micros = Math.max(0, (endNanos - startNanos) / 1_000);
      overall.recordValue(micros);
      second.latency.recordValue(micros);
      succeeded++;
      this.images += images;
    } else {
      second.failed++;
      errorCounts.merge(status.getCode(), 1L, Long::sum);
      firstMessages.computeIfAbsent(status.getCode(), code -> message(status));
    }
  }

  /** One request the open loop could not send; counted only if {@code phase} is MEASURED. */
  synchronized void dropped(Phase phase) {
    if (phase == Phase.MEASURED) {
      dropped++;
    }
  }

  /**
   * The result so far; {@code plannedEndNanos} is when the measured phase was meant to end (for a
   * run by duration), so an early last answer does not shorten the time throughput is over.
   */
  synchronized LoadResult result(
      LoadSpec spec, String target, Instant startTime, long plannedEndNanos) {
    long endNanos =
        measureEndNanos == Long.MAX_VALUE
            ? Math.max(lastAnswerNanos, plannedEndNanos)
            : measureEndNanos;
    Map<Status.Code, ErrorCount> errors = new EnumMap<>(Status.Code.class);
    errorCounts.forEach(
        (code, count) -> errors.put(code, new ErrorCount(count, firstMessages.get(code))));
    return new LoadResult(
        spec,
        target,
        startTime,
        Duration.ofNanos(endNanos - measureStartNanos),
        requests,
        succeeded,
        images,
        dropped,
        errors,
        latency(overall),
        timeline());
  }

  /**
   * The description, and the transport's reason after it when there is one ("io exception:
   * refused").
   */
  private static String message(Status status) {
    String description = status.getDescription() != null ? status.getDescription() : "";
    Throwable cause = status.getCause();
    if (cause == null || cause.getMessage() == null) {
      return description;
    }
    return description.isEmpty() ? cause.getMessage() : description + ": " + cause.getMessage();
  }

  private List<Second> timeline() {
    List<Second> timeline = new ArrayList<>();
    int last = seconds.isEmpty() ? -1 : seconds.lastKey();
    // Every second up to the last answer, quiet ones included, so a stall shows as a gap.
    for (int second = 0; second <= last; second++) {
      SecondCounts counts = seconds.getOrDefault(second, new SecondCounts());
      Histogram latency = counts.latency;
      timeline.add(
          new Second(
              second,
              latency.getTotalCount(),
              counts.failed,
              latency.getValueAtPercentile(50),
              latency.getValueAtPercentile(99)));
    }
    return timeline;
  }

  private static Latency latency(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return Latency.NONE;
    }
    return new Latency(
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(90),
        histogram.getValueAtPercentile(99),
        histogram.getMaxValue(),
        histogram.getMean());
  }

  private static Histogram histogram() {
    // Auto-resizing: no ceiling to pick, a 30 s answer is recorded as faithfully as a 1 ms one.
    return new Histogram(SIGNIFICANT_DIGITS);
  }

  private static final class SecondCounts {
    final Histogram latency = histogram();
    long failed;
  }
}
