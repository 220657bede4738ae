package dev.swinserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.bench.perfanalyzer.PerfAnalyzerScenario;
import dev.swinserve.bench.soak.SoakScenario;
import dev.swinserve.bench.soak.SoakSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One {@code swinserve benchmark} run: scenarios by name, each result written as JSON. The
 * launcher's command parses the options; the scenarios and their files are decided here.
 */
public final class BenchmarkRun {

  /**
   * The scenarios that {@code all} stands for; {@link #SOAK} and {@link #PERF_ANALYZER} are not
   * among them.
   */
  public static final List<String> ALL =
      List.of("throughput", "batching", "latency", "streams", "memory", "delay-sweep", "shadow");

  /** Mixed load under chaos for {@code soakDuration}. */
  public static final String SOAK = "soak";

  /**
   * Triton's {@code perf_analyzer} against swinserve's own load generator, the same load; it
   * installs {@code perf_analyzer} on first use (benchmarks/perf-analyzer/setup.sh).
   */
  public static final String PERF_ANALYZER = "perf-analyzer";

  private final Workspace workspace;
  private final Scenarios scenarios;
  private final Duration runLength;
  private final Path output;
  private final Duration soakDuration;
  private final long seed;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * @param work repositories and server logs
   * @param runLength measured time per load run
   * @param output the folder for the JSON results; null: {@code bench-results}, and for the soak
   *     {@code benchmarks/results/<date>}
   * @param soakDuration how long the soak's load and chaos run
   * @param seed seeds the soak's chaos
   * @param out progress and tables
   */
  public BenchmarkRun(
      Path work,
      Duration runLength,
      Path output,
      Duration soakDuration,
      long seed,
      PrintStream out) {
    this.workspace = new Workspace(work);
    this.scenarios = new Scenarios(workspace, runLength, out);
    this.runLength = runLength;
    this.output = output;
    this.soakDuration = soakDuration;
    this.seed = seed;
    this.out = out;
  }

  /**
   * Whether {@code scenario} names a scenario: one of {@link #ALL}, {@link #SOAK} or {@link
   * #PERF_ANALYZER}.
   */
  public static boolean knows(String scenario) {
    return ALL.contains(scenario) || scenario.equals(SOAK) || scenario.equals(PERF_ANALYZER);
  }

  /** Runs {@code scenario}, which {@link #knows} must accept, and writes its JSON result. */
  public void run(String scenario) throws Exception {
    out.println("== " + scenario);
    if (scenario.equals(SOAK)) {
      soak();
      return;
    }
    Path folder = output == null ? Path.of("bench-results") : output;
    Files.createDirectories(folder);
    ObjectNode result =
        switch (scenario) {
          case "throughput" -> scenarios.throughput();
          case "batching" -> scenarios.batching();
          case "latency" -> scenarios.latency();
          case "streams" -> scenarios.streams();
          case "memory" -> scenarios.memory();
          case "delay-sweep" -> scenarios.delaySweep();
          case "shadow" -> scenarios.shadow();
          case PERF_ANALYZER -> new PerfAnalyzerScenario(workspace, runLength, out).run();
          default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    result.put("scenario", scenario);
    result.put("date", Instant.now().toString());
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("seconds_per_run", runLength.toSeconds());
    json.writeValue(folder.resolve(scenario + ".json").toFile(), result);
  }

  private void soak() throws Exception {
    Instant start = Instant.now();
    ObjectNode result =
        new SoakScenario(workspace, SoakSettings.defaults(soakDuration, seed), out).run();
    result.put("scenario", SOAK);
    result.put("date", start.toString());
    result.put("cores", Runtime.getRuntime().availableProcessors());
    Path folder =
        output != null
            ? output
            : Path.of(
                "benchmarks", "results", start.atZone(ZoneOffset.UTC).toLocalDate().toString());
    Files.createDirectories(folder);
    Path file = folder.resolve("soak-" + SoakSettings.format(soakDuration) + ".json");
    json.writeValue(file.toFile(), result);
    out.println("written: " + file);
  }
}
