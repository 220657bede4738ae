package dev.swinserve.launcher.remote;

import dev.swinserve.bench.load.InputKind;
import dev.swinserve.bench.load.LoadGenerator;
import dev.swinserve.bench.load.LoadMode;
import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadSpec;
import dev.swinserve.bench.load.LoadSummary;
import dev.swinserve.bench.load.plot.TimelinePlots;
import dev.swinserve.client.ClientChannels;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code swinserve bench}: puts load on a served model and reports throughput, latency and errors.
 */
@Command(
    name = "bench",
    sortOptions = false,
    description = {
      "Load-tests a model a swinserve server hosts: a closed loop at fixed concurrency, or an open "
          + "loop at a fixed rate (--rate). Prints throughput, latency percentiles and errors by status code. "
          + "Exit code 1 when no measured request succeeded or more than --max-error-rate failed."
    })
public final class BenchCommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", required = true, description = "model name")
  String model;

  @ArgGroup(exclusive = true)
  VersionChoice versionChoice;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = ClientChannels.DEFAULT_TARGET,
      description = "server address; default ${DEFAULT-VALUE}")
  String target;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "unary",
      description =
          "unary (one Classify call per request) or stream (ClassifyStream); default ${DEFAULT-VALUE}")
  LoadMode mode;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description = "callers (unary) or streams; default ${DEFAULT-VALUE}")
  int concurrency;

  @Option(
      names = "--in-flight",
      paramLabel = "K",
      defaultValue = "8",
      description = "stream mode: most unanswered requests per stream; default ${DEFAULT-VALUE}")
  int inFlight;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "0",
      description =
          "open loop at R requests/s, latency from each scheduled send; default: closed loop")
  double rate;

  @Option(
      names = "--max-outstanding",
      paramLabel = "M",
      defaultValue = "1000",
      description =
          "open loop: requests due while M are unanswered are dropped; default ${DEFAULT-VALUE}")
  int maxOutstanding;

  @ArgGroup(exclusive = true)
  StopChoice stop;

  static final class StopChoice {
    @Option(
        names = "--duration",
        paramLabel = "SECONDS",
        required = true,
        description = "measure for this long; default 10")
    Double seconds;

    @Option(
        names = "--requests",
        paramLabel = "N",
        required = true,
        description = "measure exactly N requests")
    Long requests;
  }

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "send for this long first, not counted; default ${DEFAULT-VALUE}")
  double warmupSeconds;

  @Option(
      names = "--input",
      paramLabel = "KIND",
      defaultValue = "encoded",
      description =
          "encoded (the image files' bytes) or pixels (random float32 tensors); default ${DEFAULT-VALUE}")
  InputKind input;

  @Option(
      names = "--pixel-size",
      paramLabel = "S",
      defaultValue = "256",
      description = "pixels input: S x S x 3 tensors; default ${DEFAULT-VALUE}")
  int pixelSize;

  @Option(
      names = "--batch",
      paramLabel = "B",
      defaultValue = "1",
      description = "images per request; default ${DEFAULT-VALUE}")
  int batch;

  @Option(
      names = "--deadline-ms",
      paramLabel = "MS",
      defaultValue = "30000",
      description = "deadline per request; default ${DEFAULT-VALUE}")
  long deadlineMillis;

  @Option(
      names = "--max-error-rate",
      paramLabel = "F",
      defaultValue = "0.01",
      description =
          "exit code 1 when more than this fraction of measured requests failed (0 to 1); "
              + "default ${DEFAULT-VALUE}")
  double maxErrorRate;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the pixel values; default ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "also write the results as JSON to FILE")
  Path json;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description = "draw latency and throughput over time: FILE.png or FILE.html")
  Path plot;

  // Not picocli's standard help mixin: its --version would clash with the model version option.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;

  @Parameters(
      paramLabel = "IMAGES",
      arity = "0..*",
      description = "image files or folders (encoded input)")
  List<Path> inputs = List.of();

  private final ChannelFactory channels;

  public BenchCommand(ChannelFactory channels) {
    this.channels = channels;
  }

  public static void main(String[] args) {
    System.exit(commandLine(ClientChannels::plaintext).execute(args));
  }

  /** The command over channels from {@code channels}, with swinserve's messages and exit codes. */
  public static CommandLine commandLine(ChannelFactory channels) {
    return CommandErrors.install(
        new CommandLine(new BenchCommand(channels)).setCaseInsensitiveEnumValuesAllowed(true));
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public Integer call() throws InterruptedException, IOException {
    LoadSpec load = loadSpec();
    if (plot != null && !TimelinePlots.supports(plot)) {
      throw new ParameterException(
          spec.commandLine(), "--plot must name a .png or .html file, was " + plot);
    }
    spec.commandLine()
        .getErr()
        .println(
            "bench: "
                + LoadSummary.load(load)
                + " against "
                + target
                + ", "
                + LoadSummary.stop(load));
    LoadResult result;
    ManagedChannel channel = channels.open(target);
    try {
      result = new LoadGenerator().run(load, channel);
    } finally {
      ClientChannels.shutdown(channel);
    }
    BenchReport.print(result, spec.commandLine().getOut());
    if (json != null) {
      Files.writeString(json, result.toJson() + "\n", StandardCharsets.UTF_8);
    }
    if (plot != null) {
      TimelinePlots.write(result, plot);
    }
    if (result.succeeded() == 0) {
      spec.commandLine().getErr().println("bench: no measured request succeeded");
      return CommandErrors.FAILED;
    }
    double errorRate = (double) result.failed() / result.requests(); // requests > 0: some succeeded
    if (errorRate > maxErrorRate) {
      spec.commandLine()
          .getErr()
          .println(
              String.format(
                  Locale.ROOT,
                  "bench: %d of %d measured requests failed (%.2f%%), more than --max-error-rate %s allows",
                  result.failed(),
                  result.requests(),
                  100 * errorRate,
                  maxErrorRate));
      return CommandErrors.FAILED;
    }
    return 0;
  }

  private LoadSpec loadSpec() {
    CommandErrors.requireAtLeast(spec, "--deadline-ms", deadlineMillis, 1);
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
      throw new ParameterException(
          spec.commandLine(), "--max-error-rate must be between 0 and 1, was " + maxErrorRate);
    }
    if (input == InputKind.PIXELS && !inputs.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--input pixels sends random tensors, not IMAGES");
    }
    try {
      List<Path> images = input == InputKind.ENCODED ? ImageFiles.expand(inputs, false) : List.of();
      LoadSpec.Builder builder =
          LoadSpec.builder(VersionChoice.modelSpec(model, versionChoice))
              .mode(mode)
              .concurrency(concurrency)
              .inFlight(inFlight)
              .ratePerSecond(rate)
              .maxOutstanding(maxOutstanding)
              .warmup(seconds("--warmup", warmupSeconds, 0))
              .input(input)
              .images(images)
              .pixelSize(pixelSize)
              .batch(batch)
              .deadline(Duration.ofMillis(deadlineMillis))
              .seed(seed);
      if (stop != null && stop.requests != null) {
        CommandErrors.requireAtLeast(spec, "--requests", stop.requests, 1);
        builder.requests(stop.requests);
      } else if (stop != null) {
        builder.duration(seconds("--duration", stop.seconds, Double.MIN_VALUE));
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private Duration seconds(String option, double value, double minimum) {
    if (!(value >= minimum) || Double.isInfinite(value)) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " must be "
              + (minimum > 0 ? "positive" : "at least 0")
              + " seconds, was "
              + value);
    }
    return Duration.ofNanos(Math.round(value * 1e9));
  }
}
