package dev.swinserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.bench.soak.SoakScenario;
import dev.swinserve.bench.soak.SoakSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code swinserve benchmark SCENARIO...}: the served path against its own ceiling. */
@Command(name = "benchmark", sortOptions = false, description = {
    "Runs the performance scenarios and writes bench-results/<scenario>.json.",
    "Scenarios: throughput, batching, latency, streams, memory, delay-sweep, shadow, or all;",
    "and soak (not in all): --duration of mixed load under chaos, written to",
    "benchmarks/results/<date>/soak-<duration>.json unless --output says otherwise."})
public final class BenchmarkCommand implements Callable<Integer> {

  private static final List<String> ALL = List.of(
      "throughput", "batching", "latency", "streams", "memory", "delay-sweep", "shadow");

  @Parameters(arity = "1..*", paramLabel = "SCENARIO")
  List<String> scenarios;

  @Option(names = "--seconds", defaultValue = "20", description = "measured seconds per load run; default ${DEFAULT-VALUE}")
  long seconds;

  @Option(names = "--work", defaultValue = "bench-results/work", description = "repositories and server logs")
  Path work;

  @Option(names = "--output", description = "where the JSON results go; default bench-results (soak: benchmarks/results/<date>)")
  Path output;

  @Option(names = "--duration", defaultValue = "30m", converter = DurationConverter.class,
      description = "soak only: how long load and chaos run (30m, 90s, 1h); default ${DEFAULT-VALUE}")
  Duration duration;

  @Option(names = "--seed", defaultValue = "9", description = "soak only: seeds the chaos; default ${DEFAULT-VALUE}")
  long seed;

  @Option(names = {"-h", "--help"}, usageHelp = true)
  boolean help;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Scenarios runner = new Scenarios(new Workspace(work), Duration.ofSeconds(seconds), System.out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path folder = output == null ? Path.of("bench-results") : output;
    for (String scenario : scenarios.contains("all") ? ALL : scenarios) {
      System.out.println("== " + scenario);
      if (scenario.equals("soak")) {
        soak(json);
        continue;
      }
      Files.createDirectories(folder);
      ObjectNode result = switch (scenario) {
        case "throughput" -> runner.throughput();
        case "batching" -> runner.batching();
        case "latency" -> runner.latency();
        case "streams" -> runner.streams();
        case "memory" -> runner.memory();
        case "delay-sweep" -> runner.delaySweep();
        case "shadow" -> runner.shadow();
        default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario " + scenario);
      };
      result.put("scenario", scenario);
      result.put("date", Instant.now().toString());
      result.put("cores", Runtime.getRuntime().availableProcessors());
      result.put("seconds_per_run", seconds);
      json.writeValue(folder.resolve(scenario + ".json").toFile(), result);
    }
    return 0;
  }

  private void soak(ObjectMapper json) throws Exception {
    Instant start = Instant.now();
    ObjectNode result = new SoakScenario(new Workspace(work), SoakSettings.defaults(duration, seed), System.out).run();
    result.put("scenario", "soak");
    result.put("date", start.toString());
    result.put("cores", Runtime.getRuntime().availableProcessors());
    Path folder = output != null ? output
        : Path.of("benchmarks", "results", start.atZone(ZoneOffset.UTC).toLocalDate().toString());
    Files.createDirectories(folder);
    Path file = folder.resolve("soak-" + SoakSettings.format(duration) + ".json");
    json.writeValue(file.toFile(), result);
    System.out.println("written: " + file);
  }

  /** Reads {@code --duration} as {@link SoakSettings#parseDuration} does. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return SoakSettings.parseDuration(value);
    }
  }
}
