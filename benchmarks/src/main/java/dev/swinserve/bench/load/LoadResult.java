package dev.swinserve.bench.load;

import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a load run measured, warm-up excluded. Immutable.
 *
 * <p>A request counts once it is answered: {@code succeeded} or failed (by status code in {@code
 * errors}). Throughput and latency are over succeeded requests only, so a server that fails fast
 * does not look fast. Latency is from send to answer, or in an open loop from the scheduled send
 * time; all latencies are in microseconds.
 *
 * @param target the server, as the channel names it
 * @param startTime when the run (its warm-up included) started, by the wall clock
 * @param elapsed the measured phase: from its start to the last answer, or to its planned end when
 *     that is later
 * @param requests measured requests answered, succeeded or failed
 * @param images images in succeeded requests
 * @param dropped open loop only: requests not sent because the bound on unanswered ones was hit
 * @param errors failures by status code, ordered by code
 * @param timeline one entry per second of the measured phase, by when answers arrived
 */
public record LoadResult(
    LoadSpec spec,
    String target,
    Instant startTime,
    Duration elapsed,
    long requests,
    long succeeded,
    long images,
    long dropped,
    Map<Status.Code, ErrorCount> errors,
    Latency latency,
    List<Second> timeline) {

  public LoadResult {
    errors = errors.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(errors));
    timeline = List.copyOf(timeline);
  }

  /** Measured requests that failed, whatever the code. */
  public long failed() {
    return requests - succeeded;
  }

  /** Succeeded requests per second of {@link #elapsed}; 0 when nothing was measured. */
  public double requestsPerSecond() {
    return perSecond(succeeded);
  }

  /** Images in succeeded requests per second of {@link #elapsed}. */
  public double imagesPerSecond() {
    return perSecond(images);
  }

  /**
   * The whole result as one JSON object: {@code start_time}, {@code target}, {@code parameters},
   * {@code elapsed_seconds}, {@code requests}, {@code succeeded}, {@code failed}, {@code images},
   * {@code dropped}, {@code throughput}, {@code latency_us}, {@code errors} and {@code timeline}.
   */
  public String toJson() {
    return LoadResultJson.write(this);
  }

  private double perSecond(long count) {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? count / seconds : 0;
  }

  /** How often one status code occurred, and the message it first came with (may be empty). */
  public record ErrorCount(long count, String firstMessage) {}

  /**
   * Latency percentiles of succeeded requests in microseconds, all 0 when none succeeded.
   * Percentiles are exact to three significant digits (an HdrHistogram's precision).
   */
  public record Latency(
      long p50Micros, long p90Micros, long p99Micros, long maxMicros, double meanMicros) {

    public static final Latency NONE = new Latency(0, 0, 0, 0, 0);
  }

  /**
   * One second of the measured phase: requests answered in it, and the median and 99th percentile
   * latency of those that succeeded (0 when none did). The last seconds may hold only the answers
   * that arrived after sending stopped, so they can look quieter than the run was.
   *
   * @param second seconds since the measured phase started: 0 covers [0 s, 1 s)
   */
  public record Second(int second, long succeeded, long failed, long p50Micros, long p99Micros) {}
}
