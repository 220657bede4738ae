package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ModelSpec;
import java.time.Duration;
import java.util.Locale;

/** Short human-readable descriptions of a run, shared by the table, the charts and their titles. */
public final class LoadSummary {

  private LoadSummary() {}

  /** {@code name}, {@code name@version} or {@code name@label}. */
  public static String model(ModelSpec model) {
    return switch (model.getVersionChoiceCase()) {
      case VERSION -> model.getName() + "@" + model.getVersion();
      case LABEL -> model.getName() + "@" + model.getLabel();
      case VERSIONCHOICE_NOT_SET -> model.getName();
    };
  }

  /**
   * How the load is made, e.g. {@code unary, closed loop, 4 callers} or {@code stream, open loop,
   * 200 requests/s over 2 streams (8 in flight each, 1000 outstanding at most)}.
   */
  public static String load(LoadSpec spec) {
    String mode = spec.mode() == LoadMode.UNARY ? "unary" : "stream";
    String senders =
        spec.mode() == LoadMode.UNARY
            ? spec.concurrency() + (spec.concurrency() == 1 ? " caller" : " callers")
            : spec.concurrency()
                + (spec.concurrency() == 1 ? " stream" : " streams")
                + " ("
                + spec.inFlight()
                + " in flight each)";
    if (!spec.openLoop()) {
      return mode + ", closed loop, " + senders;
    }
    String bound = spec.maxOutstanding() + " outstanding at most";
    return mode
        + ", open loop, "
        + number(spec.ratePerSecond())
        + " requests/s"
        + (spec.mode() == LoadMode.UNARY ? " (" + bound + ")" : " over " + senders + ", " + bound);
  }

  /**
   * When the measurement stops, e.g. {@code 10 s after 1 s warm-up} or {@code 500 requests after
   * ...}.
   */
  public static String stop(LoadSpec spec) {
    String measured =
        spec.byRequestCount() ? spec.requests() + " requests" : seconds(spec.duration());
    return spec.warmup().isZero()
        ? measured + ", no warm-up"
        : measured + " after " + seconds(spec.warmup()) + " warm-up";
  }

  /**
   * What each request carries, e.g. {@code 3 encoded images, batch 1} or {@code 256x256 pixels,
   * batch 8}.
   */
  public static String input(LoadSpec spec) {
    String images =
        spec.input() == InputKind.ENCODED
            ? spec.images().size()
                + (spec.images().size() == 1 ? " encoded image" : " encoded images")
            : spec.pixelSize() + "x" + spec.pixelSize() + " pixels";
    return images + ", batch " + spec.batch();
  }

  /** Microseconds as milliseconds with three decimals, e.g. {@code 12.345}. */
  public static String millis(double micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1000);
  }

  /** A rate or count without a pointless {@code .0}, e.g. {@code 200} or {@code 12.5}. */
  public static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String seconds(Duration duration) {
    return number(duration.toMillis() / 1000.0) + " s";
  }
}
