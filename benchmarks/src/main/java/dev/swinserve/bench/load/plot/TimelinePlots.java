package dev.swinserve.bench.load.plot;

import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws a {@link LoadResult}'s timeline (per-second p50 and p99 latency, answers per second) to a
 * file: a PNG image, or an HTML page with the chart inline as SVG that needs nothing else to open.
 * Stateless and thread-safe.
 */
public final class TimelinePlots {

  /** The chart's size in pixels, PNG and SVG alike. */
  public static final int WIDTH = TimelineChart.WIDTH;

  public static final int HEIGHT = TimelineChart.HEIGHT;

  private TimelinePlots() {}

  /**
   * Writes the chart to {@code file}, its format chosen by the name: {@code .png}, or {@code
   * .html}/{@code .htm}. An existing file is replaced.
   *
   * @throws IllegalArgumentException for any other extension, before anything is written
   */
  public static void write(LoadResult result, Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      writePng(result, file);
    } else if (name.endsWith(".html") || name.endsWith(".htm")) {
      Files.writeString(file, html(result), StandardCharsets.UTF_8);
    } else {
      throw new IllegalArgumentException("plot file must end in .png or .html: " + file);
    }
  }

  /** Whether {@link #write} can write a file of this name. */
  public static boolean supports(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".html") || name.endsWith(".htm");
  }

  private static void writePng(LoadResult result, Path file) throws IOException {
    PngCanvas canvas = new PngCanvas(WIDTH, HEIGHT);
    new TimelineChart(result).draw(canvas);
    canvas.write(file);
  }

  /** A standalone page: heading, one line of parameters, the chart. */
  static String html(LoadResult result) {
    TimelineChart chart = new TimelineChart(result);
    SvgCanvas canvas = new SvgCanvas(WIDTH, HEIGHT);
    chart.draw(canvas);
    String details =
        LoadSummary.stop(result.spec())
            + "; "
            + LoadSummary.input(result.spec())
            + "; target "
            + result.target()
            + "; "
            + result.requests()
            + " requests, "
            + result.failed()
            + " failed, "
            + result.dropped()
            + " dropped";
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + SvgCanvas.escape(chart.title())
        + "</title>\n"
        + "<style>body{font-family:sans-serif;margin:2em;color:#222}</style>\n</head>\n<body>\n<h1>"
        + SvgCanvas.escape(chart.title())
        + "</h1>\n<p>"
        + SvgCanvas.escape(details)
        + "</p>\n"
        + canvas.toSvg()
        + "\n</body>\n</html>\n";
  }
}
