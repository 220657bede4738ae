package dev.swinserve.bench.load.plot;

import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadResult.Second;
import dev.swinserve.bench.load.LoadSummary;
import dev.swinserve.bench.load.plot.Canvas.Anchor;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A run's timeline as two panels over the seconds of the measured phase: p50 and p99 latency in
 * milliseconds above, answers per second (succeeded, and failed when any failed) below. Seconds
 * without a succeeded answer leave gaps in the latency lines instead of dropping to zero.
 */
final class TimelineChart {

  static final int WIDTH = 960;
  static final int HEIGHT = 540;

  private static final double LEFT = 80;
  private static final double RIGHT = WIDTH - 30;
  private static final double LEGEND_WIDTH = 110;
  private static final String INK = "#222222";
  private static final String GRID = "#dddddd";
  private static final String P50 = "#1f77b4";
  private static final String P99 = "#d62728";
  private static final String SUCCEEDED = "#2ca02c";
  private static final String FAILED = "#ff7f0e";

  private final LoadResult result;
  private final List<Second> timeline;
  private final int seconds;

  TimelineChart(LoadResult result) {
    this.result = result;
    this.timeline = result.timeline();
    this.seconds = Math.max(1, timeline.size());
  }

  /** Short enough for a chart title and an HTML heading. */
  String title() {
    return "swinserve bench: " + LoadSummary.model(result.spec().model());
  }

  void draw(Canvas canvas) {
    canvas.text(LEFT, 22, title(), Anchor.START, 15, INK);
    canvas.text(
        LEFT,
        40,
        LoadSummary.load(result.spec()) + "; " + LoadSummary.stop(result.spec()),
        Anchor.START,
        12,
        INK);
    canvas.text(
        LEFT,
        56,
        String.format(
            Locale.ROOT,
            "started %s; p50 %s ms, p99 %s ms, %.1f requests/s",
            result.startTime(),
            LoadSummary.millis(result.latency().p50Micros()),
            LoadSummary.millis(result.latency().p99Micros()),
            result.requestsPerSecond()),
        Anchor.START,
        12,
        INK);
    Panel latency = new Panel(90, 290, "latency (ms)", max(second -> second.p99Micros() / 1000.0));
    latency.series(
        canvas,
        second -> second.succeeded() > 0 ? second.p50Micros() / 1000.0 : Double.NaN,
        P50,
        "p50",
        1);
    latency.series(
        canvas,
        second -> second.succeeded() > 0 ? second.p99Micros() / 1000.0 : Double.NaN,
        P99,
        "p99",
        0);
    Panel answers =
        new Panel(
            330,
            490,
            "answers per second",
            max(second -> Math.max(second.succeeded(), second.failed())));
    if (result.failed() > 0) {
      answers.series(canvas, Second::failed, FAILED, "failed", 0);
    }
    answers.series(canvas, Second::succeeded, SUCCEEDED, "succeeded", result.failed() > 0 ? 1 : 0);
    latency.axes(canvas, false);
    answers.axes(canvas, true);
    if (timeline.isEmpty()) {
      canvas.text(
          (LEFT + RIGHT) / 2, 190, "no answers in the measured phase", Anchor.MIDDLE, 14, INK);
    }
  }

  private double max(ToDoubleFunction<Second> value) {
    return timeline.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(0);
  }

  /**
   * x of the middle of second {@code second}, or of its start when {@code second} is fractional.
   */
  private static double x(double second, int seconds) {
    return LEFT + second / seconds * (RIGHT - LEFT);
  }

  /** The smallest 1, 2 or 5 times a power of ten at or above {@code value} (1 for nothing). */
  static double niceCeiling(double value) {
    if (!(value > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    double fraction = value / power;
    return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  }

  private final class Panel {
    private static final int DIVISIONS = 5;
    private final double top;
    private final double bottom;
    private final String label;
    private final double ceiling;

    Panel(double top, double bottom, String label, double max) {
      this.top = top;
      this.bottom = bottom;
      this.label = label;
      this.ceiling = niceCeiling(max);
    }

    double y(double value) {
      return bottom - value / ceiling * (bottom - top);
    }

    /**
     * Draws one line, split wherever a value is NaN, and its legend entry above the panel's top
     * right corner, {@code slot} entries in from the right (so it never covers the data).
     */
    void series(
        Canvas canvas, ToDoubleFunction<Second> value, String color, String name, int slot) {
      int start = 0;
      while (start < timeline.size()) {
        int end = start;
        while (end < timeline.size() && Double.isFinite(value.applyAsDouble(timeline.get(end)))) {
          end++;
        }
        drawRun(canvas, value, color, start, end);
        start = end + 1;
      }
      double legendX = RIGHT - LEGEND_WIDTH * (slot + 1);
      canvas.line(legendX, top - 10, legendX + 20, top - 10, color, 2.5);
      canvas.text(legendX + 26, top - 6, name, Anchor.START, 12, INK);
    }

    private void drawRun(
        Canvas canvas, ToDoubleFunction<Second> value, String color, int from, int to) {
      if (to - from == 1) {
        canvas.dot(x(from + 0.5, seconds), y(value.applyAsDouble(timeline.get(from))), 2.5, color);
      } else if (to - from > 1) {
        double[] xs = new double[to - from];
        double[] ys = new double[to - from];
        for (int i = from; i < to; i++) {
          xs[i - from] = x(i + 0.5, seconds);
          ys[i - from] = y(value.applyAsDouble(timeline.get(i)));
        }
        canvas.polyline(xs, ys, color, 2);
      }
    }

    /** Grid, y labels and frame; with {@code xLabels}, second marks and the x-axis title below. */
    void axes(Canvas canvas, boolean xLabels) {
      for (int division = 0; division <= DIVISIONS; division++) {
        double value = ceiling * division / DIVISIONS;
        canvas.line(LEFT, y(value), RIGHT, y(value), division == 0 ? INK : GRID, 1);
        canvas.text(
            LEFT - 6,
            y(value) + 4,
            LoadSummary.number(Math.round(value * 1000) / 1000.0),
            Anchor.END,
            11,
            INK);
      }
      canvas.line(LEFT, top, LEFT, bottom, INK, 1);
      canvas.text(LEFT, top - 6, label, Anchor.START, 12, INK);
      int step = (int) niceCeiling(Math.max(1, seconds / 10.0));
      for (int second = 0; second <= seconds; second += step) {
        canvas.line(x(second, seconds), bottom, x(second, seconds), bottom + 4, INK, 1);
        if (xLabels) {
          canvas.text(
              x(second, seconds), bottom + 18, Integer.toString(second), Anchor.MIDDLE, 11, INK);
        }
      }
      if (xLabels) {
        canvas.text(
            (LEFT + RIGHT) / 2,
            bottom + 38,
            "seconds into the measured phase",
            Anchor.MIDDLE,
            12,
            INK);
      }
    }
  }
}
