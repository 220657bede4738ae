package dev.swinserve.launcher.benchmark;

import dev.swinserve.bench.BenchmarkRun;
import dev.swinserve.bench.soak.SoakSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swinserve benchmark SCENARIO...}: the served path against its own ceiling ({@link
 * BenchmarkRun}).
 */
@Command(
    name = "benchmark",
    sortOptions = false,
    description = {
      "Runs the performance scenarios and writes bench-results/<scenario>.json.",
      "Scenarios: throughput, batching, latency, streams, memory, delay-sweep, shadow, or all;",
      "perf-analyzer (not in all): Triton's perf_analyzer and swinserve's load generator under",
      "the same load, --seconds each, side by side (installs perf_analyzer on first use);",
      "and soak (not in all): --duration of mixed load under chaos, written to",
      "benchmarks/results/<date>/soak-<duration>.json unless --output says otherwise."
    })
public final class BenchmarkCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "SCENARIO")
  List<String> scenarios;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "measured seconds per load run; default ${DEFAULT-VALUE}")
  long seconds;

  @Option(
      names = "--work",
      defaultValue = "bench-results/work",
      description = "repositories and server logs")
  Path work;

  @Option(
      names = "--output",
      description =
          "where the JSON results go; default bench-results (soak: benchmarks/results/<date>)")
  Path output;

  @Option(
      names = "--duration",
      defaultValue = "30m",
      converter = DurationConverter.class,
      description =
          "soak only: how long load and chaos run (30m, 90s, 1h); default ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--seed",
      defaultValue = "9",
      description = "soak only: seeds the chaos; default ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true)
  boolean help;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    BenchmarkRun run =
        new BenchmarkRun(work, Duration.ofSeconds(seconds), output, duration, seed, System.out);
    for (String scenario : scenarios.contains("all") ? BenchmarkRun.ALL : scenarios) {
      if (!BenchmarkRun.knows(scenario)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "unknown scenario " + scenario);
      }
      run.run(scenario);
    }
    return 0;
  }

  /** Reads {@code --duration} as {@link SoakSettings#parseDuration} does. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return SoakSettings.parseDuration(value);
    }
  }
}
