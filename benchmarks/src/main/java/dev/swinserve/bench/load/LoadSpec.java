package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a load run does, immutable; {@link #builder(ModelSpec)} fills in the defaults.
 *
 * <p><b>Closed loop</b> ({@code ratePerSecond == 0}): unary, {@code concurrency} callers each send
 * their next request as soon as the previous one is answered; stream, {@code concurrency} streams
 * each keep {@code inFlight} requests unanswered. <b>Open loop</b> ({@code ratePerSecond > 0}):
 * requests go out on a fixed timetable whatever the answers do, and their latency counts from the
 * scheduled time, so a sender that falls behind shows up as latency; a request finding {@code
 * maxOutstanding} unanswered (or, streaming, every stream at {@code inFlight}) is dropped.
 *
 * <p>The measured phase follows {@code warmup}, whose requests are sent but not counted, and ends
 * after {@code duration} or after exactly {@code requests} requests: one of the two is set, the
 * other is zero. Requests already sent are always waited for (each within {@code deadline}).
 *
 * @param model the model (and version or label) every request names
 * @param images encoded image files, cycled through in order; {@link InputKind#ENCODED} only
 * @param pixelSize height and width of the {@link InputKind#PIXELS} tensor
 * @param batch images per request
 * @param deadline per request: a unary call's gRPC deadline; a stream request unanswered for this
 *     long cancels its stream
 * @param seed seeds the random pixel values, so runs send identical tensors
 */
public record LoadSpec(
    ModelSpec model,
    LoadMode mode,
    int concurrency,
    int inFlight,
    double ratePerSecond,
    int maxOutstanding,
    Duration duration,
    long requests,
    Duration warmup,
    InputKind input,
    List<Path> images,
    int pixelSize,
    int batch,
    Duration deadline,
    long seed) {

  public LoadSpec {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(input, "input");
    images = List.copyOf(images);
    requireAtLeast("concurrency", concurrency, 1);
    requireAtLeast("in-flight", inFlight, 1);
    requireAtLeast("max-outstanding", maxOutstanding, 1);
    requireAtLeast("pixel-size", pixelSize, 1);
    requireAtLeast("batch", batch, 1);
    requireAtLeast("requests", requests, 0);
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "rate must be a number of requests per second >= 0, was " + ratePerSecond);
    }
    requireNotNegative("duration", duration);
    requireNotNegative("warmup", warmup);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
    if (duration.isZero() == (requests == 0)) {
      throw new IllegalArgumentException("set exactly one of duration and requests");
    }
    if (input == InputKind.ENCODED && images.isEmpty()) {
      throw new IllegalArgumentException("encoded input needs at least one image file");
    }
  }

  /** A spec for {@code model} with the defaults the {@code bench} command has. */
  public static Builder builder(ModelSpec model) {
    return new Builder(model);
  }

  /** Whether requests follow a timetable ({@code ratePerSecond > 0}) rather than the answers. */
  public boolean openLoop() {
    return ratePerSecond > 0;
  }

  /** Whether the measured phase ends after a number of requests rather than a duration. */
  public boolean byRequestCount() {
    return requests > 0;
  }

  /** A builder holding this spec's values, to derive a variant. */
  public Builder toBuilder() {
    Builder builder =
        new Builder(model)
            .mode(mode)
            .concurrency(concurrency)
            .inFlight(inFlight)
            .ratePerSecond(ratePerSecond)
            .maxOutstanding(maxOutstanding)
            .warmup(warmup)
            .input(input)
            .images(images)
            .pixelSize(pixelSize)
            .batch(batch)
            .deadline(deadline)
            .seed(seed);
    return byRequestCount() ? builder.requests(requests) : builder.duration(duration);
  }

  private static void requireAtLeast(String name, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
    }
  }

  private static void requireNotNegative(String name, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }

  /** Collects a {@link LoadSpec}; every setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private ModelSpec model;
    private LoadMode mode = LoadMode.UNARY;
    private int concurrency = 4;
    private int inFlight = 8;
    private double ratePerSecond;
    private int maxOutstanding = 1000;
    private Duration duration = Duration.ofSeconds(10);
    private long requests;
    private Duration warmup = Duration.ofSeconds(1);
    private InputKind input = InputKind.ENCODED;
    private List<Path> images = List.of();
    private int pixelSize = 256;
    private int batch = 1;
    private Duration deadline = Duration.ofSeconds(30);
    private long seed = 42;

    private Builder(ModelSpec model) {
      this.model = model;
    }

    public Builder model(ModelSpec value) {
      model = value;
      return this;
    }

    public Builder mode(LoadMode value) {
      mode = value;
      return this;
    }

    public Builder concurrency(int value) {
      concurrency = value;
      return this;
    }

    public Builder inFlight(int value) {
      inFlight = value;
      return this;
    }

    /** Requests per second for an open loop; 0 (the default) for a closed loop. */
    public Builder ratePerSecond(double value) {
      ratePerSecond = value;
      return this;
    }

    public Builder maxOutstanding(int value) {
      maxOutstanding = value;
      return this;
    }

    /** Measure for this long (the default, 10 s); clears {@link #requests}. */
    public Builder duration(Duration value) {
      duration = value;
      requests = 0;
      return this;
    }

    /** Measure exactly this many requests; clears {@link #duration}. */
    public Builder requests(long value) {
      requests = value;
      duration = Duration.ZERO;
      return this;
    }

    public Builder warmup(Duration value) {
      warmup = value;
      return this;
    }

    public Builder input(InputKind value) {
      input = value;
      return this;
    }

    public Builder images(List<Path> value) {
      images = value;
      return this;
    }

    public Builder pixelSize(int value) {
      pixelSize = value;
      return this;
    }

    public Builder batch(int value) {
      batch = value;
      return this;
    }

    public Builder deadline(Duration value) {
      deadline = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first value out of range
     */
    public LoadSpec build() {
      return new LoadSpec(
          model,
          mode,
          concurrency,
          inFlight,
          ratePerSecond,
          maxOutstanding,
          duration,
          requests,
          warmup,
          input,
          images,
          pixelSize,
          batch,
          deadline,
          seed);
    }
  }
}
