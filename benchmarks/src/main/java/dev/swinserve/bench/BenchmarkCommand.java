package dev.swinserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code swinserve benchmark SCENARIO...}: the served path against its own ceiling. */
@Command(name = "benchmark", sortOptions = false, description = {
    "Runs the performance scenarios and writes bench-results/<scenario>.json.",
    "Scenarios: throughput, batching, latency, streams, memory, delay-sweep, shadow, or all."})
public final class BenchmarkCommand implements Callable<Integer> {

  private static final List<String> ALL = List.of(
      "throughput", "batching", "latency", "streams", "memory", "delay-sweep", "shadow");

  @Parameters(arity = "1..*", paramLabel = "SCENARIO")
  List<String> scenarios;

  @Option(names = "--seconds", defaultValue = "20", description = "measured seconds per load run; default ${DEFAULT-VALUE}")
  long seconds;

  @Option(names = "--work", defaultValue = "bench-results/work", description = "repositories and server logs")
  Path work;

  @Option(names = "--output", defaultValue = "bench-results", description = "where the JSON results go")
  Path output;

  @Option(names = {"-h", "--help"}, usageHelp = true)
  boolean help;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Scenarios runner = new Scenarios(new Workspace(work), Duration.ofSeconds(seconds), System.out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.createDirectories(output);
    for (String scenario : scenarios.contains("all") ? ALL : scenarios) {
      System.out.println("== " + scenario);
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
      json.writeValue(output.resolve(scenario + ".json").toFile(), result);
    }
    return 0;
  }
}
