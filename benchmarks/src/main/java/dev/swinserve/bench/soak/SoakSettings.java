package dev.swinserve.bench.soak;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a soak runs and how hard it pushes.
 *
 * @param duration how long load and chaos run
 * @param seed seeds every random choice of the chaos, so a run can be repeated
 * @param unaryCallers closed-loop callers of {@code Classify}, each sending as soon as answered
 * @param streams {@code ClassifyStream} callers, each opening stream after stream
 * @param streamInFlight requests one stream keeps unanswered at most
 * @param chaosMinWait the shortest pause between two chaos actions
 * @param chaosMaxWait the longest pause between two chaos actions
 * @param residentInterval how often the server's resident size is read
 */
public record SoakSettings(
    Duration duration,
    long seed,
    int unaryCallers,
    int streams,
    int streamInFlight,
    Duration chaosMinWait,
    Duration chaosMaxWait,
    Duration residentInterval) {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Duration EARLY_MARK = Duration.ofMinutes(5);

  public SoakSettings {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    if (chaosMinWait.compareTo(chaosMaxWait) > 0) {
      throw new IllegalArgumentException(
          "chaosMinWait " + chaosMinWait + " exceeds chaosMaxWait " + chaosMaxWait);
    }
  }

  /**
   * The soak as the lead runs it: 3 unary callers and 2 streams of 4 in flight (about what two
   * shared cores serve without queueing for long), a chaos action every 2 to 5 s, the resident size
   * every 10 s.
   */
  public static SoakSettings defaults(Duration duration, long seed) {
    return new SoakSettings(
        duration,
        seed,
        3,
        2,
        4,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  /**
   * When the early resident size is read, the reference the last one is compared with: 5 minutes
   * in, or a third of the run when that is sooner (a short run's first minutes are JIT warm-up and
   * heap growth, not a leak).
   */
  public Duration earlyMark() {
    Duration third = duration.dividedBy(3);
    return third.compareTo(EARLY_MARK) < 0 ? third : EARLY_MARK;
  }

  /**
   * Reads a duration as people write it on a command line: {@code 30m}, {@code 90s}, {@code 1h},
   * {@code 500ms}, or ISO-8601 such as {@code PT30M}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Duration parseDuration(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(text.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (say 30m, 90s, 1h or PT30M)", e);
    }
  }

  /**
   * A duration the way {@link #parseDuration} reads it, in its largest whole unit: {@code 30m},
   * {@code 90s}.
   */
  public static String format(Duration duration) {
    if (duration.toMillis() % 1000 != 0) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
