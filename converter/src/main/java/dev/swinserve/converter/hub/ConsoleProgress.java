package dev.swinserve.converter.hub;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;

/**
 * Draws a one-line progress bar per file on a terminal stream, e.g. {@code model.safetensors 12.0
 * MiB / 108.3 MiB 11% 8.4 MiB/s}, redrawn in place with {@code '\r'} at most every {@link
 * #REDRAW_INTERVAL} and ended with a newline when the file is done. Warnings are printed on their
 * own line. Quiet mode draws no bars but still prints warnings, which say the result may be stale.
 *
 * <p>Not thread-safe: one download at a time.
 */
public final class ConsoleProgress implements DownloadListener {

  /**
   * At most ten redraws a second: enough to look live without flooding a slow terminal or a log.
   */
  public static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);

  private final PrintStream out;
  private final InstantSource clock;
  private final boolean quiet;

  private String file;
  private long totalBytes;
  private long startBytes;
  private long doneBytes;
  private Instant startedAt;
  private Instant drawnAt;
  private int drawnLength;

  /** Draws on {@code out}, timing rates and redraws with {@code clock}. */
  public ConsoleProgress(PrintStream out, InstantSource clock, boolean quiet) {
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.quiet = quiet;
  }

  /** Draws on standard error with the system clock. */
  public static ConsoleProgress onStandardError(boolean quiet) {
    return new ConsoleProgress(System.err, InstantSource.system(), quiet);
  }

  @Override
  public void started(String name, long total, long resumedBytes) {
    file = name;
    totalBytes = total;
    startBytes = resumedBytes;
    doneBytes = resumedBytes;
    startedAt = clock.instant();
    drawnAt = null;
    drawnLength = 0;
    draw();
  }

  @Override
  public void transferred(String name, long done) {
    doneBytes = done;
    if (drawnAt == null || !clock.instant().isBefore(drawnAt.plus(REDRAW_INTERVAL))) {
      draw();
    }
  }

  @Override
  public void finished(String name, long total) {
    doneBytes = total;
    totalBytes = total;
    draw();
    endLine();
    file = null;
  }

  @Override
  public void warning(String message) {
    endLine();
    out.println("warning: " + message);
    out.flush();
  }

  private void draw() {
    if (quiet || file == null) {
      return;
    }
    Instant now = clock.instant();
    StringBuilder line = new StringBuilder(file).append("  ").append(bytes(doneBytes));
    if (totalBytes >= 0) {
      line.append(" / ")
          .append(bytes(totalBytes))
          .append(
              String.format(
                  Locale.ROOT,
                  "  %3d%%",
                  totalBytes == 0 ? 100 : (int) (100 * doneBytes / totalBytes)));
    }
    double seconds = Duration.between(startedAt, now).toNanos() / 1e9;
    if (seconds > 0) {
      line.append("  ").append(bytes((long) ((doneBytes - startBytes) / seconds))).append("/s");
    }
    // Pad with spaces so a shorter line fully covers the one it redraws.
    int length = line.length();
    line.append(" ".repeat(Math.max(0, drawnLength - length)));
    out.print("\r" + line);
    out.flush();
    drawnAt = now;
    drawnLength = length;
  }

  private void endLine() {
    if (drawnLength > 0) {
      out.println();
      out.flush();
      drawnLength = 0;
    }
  }

  /** Binary units with one decimal, e.g. {@code 12.0 MiB}; plain bytes below 1 KiB. */
  static String bytes(long count) {
    if (count < 1024) {
      return count + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = count / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
