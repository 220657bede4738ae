package dev.swinserve.server.metrics;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One series of observed values, recorded with HdrHistogram (3 significant digits). Times are
 * recorded in microseconds and reported in milliseconds. Thread-safe: recording is wait-free.
 */
public final class Distribution {

  /** What a distribution held when read; times in milliseconds. */
  public record Snapshot(
      String unit,
      long count,
      double mean,
      double p50,
      double p90,
      double p99,
      double max,
      Map<Long, Long> valueCounts) {}

  private final String unit;
  private final boolean time;
  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);

  Distribution(String unit) {
    this.unit = unit;
    this.time = unit.equals("ms");
  }

  /** Records a duration (this distribution's unit must be "ms"). */
  public void recordNanos(long nanos) {
    recorder.recordValue(Math.max(0, nanos / 1_000));
  }

  /** Records a plain value, e.g. a batch size. */
  public void record(long value) {
    recorder.recordValue(Math.max(0, value));
  }

  synchronized Snapshot snapshot(boolean reset) {
    total.add(recorder.getIntervalHistogram());
    double scale = time ? 1e-3 : 1.0;
    Map<Long, Long> counts = new TreeMap<>();
    if (!time) {
      total
          .recordedValues()
          .forEach(
              value -> counts.put(value.getValueIteratedTo(), value.getCountAtValueIteratedTo()));
    }
    Snapshot snapshot =
        new Snapshot(
            unit,
            total.getTotalCount(),
            total.getMean() * scale,
            total.getValueAtPercentile(50) * scale,
            total.getValueAtPercentile(90) * scale,
            total.getValueAtPercentile(99) * scale,
            total.getMaxValue() * scale,
            counts);
    if (reset) {
      total.reset();
    }
    return snapshot;
  }
}
