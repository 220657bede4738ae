package dev.swinserve.bench.perfanalyzer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.harness.ServerUnderTest;
import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.bench.load.InputKind;
import dev.swinserve.bench.load.LoadGenerator;
import dev.swinserve.bench.load.LoadMode;
import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadSpec;
import dev.swinserve.bench.load.PixelValues;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Triton's {@code perf_analyzer} against swinserve's own load generator ({@code swinserve bench}),
 * both putting the same load on one {@code swinserve serve}: the throughput scenario's model
 * (SwinV2-T, demo weights, the server's default configuration), one seeded {@code [256, 256, 3]}
 * pixel tensor per request, batch size 1, closed loops of 1 and of 32 synchronous callers, each
 * measured for the run length. Whether the two tools agree says whether the load generator's
 * numbers can be trusted.
 *
 * <p>The same tensor goes through different front doors: {@code perf_analyzer} speaks TensorFlow
 * Serving's {@code Predict} ({@link Protocol#TFSERVING_GRPC}) and the KServe v2 protocol over gRPC
 * and, when the server has opened its HTTP door, over HTTP; the load generator speaks {@code
 * swinserve.v1}'s {@code Classify}. A door {@code perf_analyzer} cannot use is reported with its
 * error, not as a failed benchmark; the scenario fails only if no door worked. Pixels rather than
 * encoded images, because TensorFlow Serving's metadata lists only the pixel input and {@code
 * perf_analyzer} sends what the metadata lists.
 *
 * <p>The server is warmed up first; then at each concurrency one tool runs after the other, in
 * alternating order, so drift of the machine's speed falls on both.
 */
public final class PerfAnalyzerScenario {

  static final List<Integer> CONCURRENCIES = List.of(1, 32);
  static final String MODEL = Workspace.TINY;

  /** The input size of {@link #MODEL}, SwinV2-T at window 8 and 256 pixels. */
  static final int PIXEL_SIZE = 256;

  static final int BATCH = 1;
  static final long SEED = 42;
  static final String SERVER_CONFIG = "";

  /** Unmeasured load first: the server's JIT compilers need more than a few seconds of it. */
  private static final Duration WARM_UP = Duration.ofSeconds(15);

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Workspace workspace;
  private final Duration duration;
  private final PrintStream out;

  /**
   * @param duration how long each tool measures each load
   */
  public PerfAnalyzerScenario(Workspace workspace, Duration duration, PrintStream out) {
    this.workspace = workspace;
    this.duration = duration;
    this.out = out;
  }

  /** Runs both tools at every concurrency and returns the report; see the class comment. */
  public ObjectNode run() throws Exception {
    Path work = workspace.root().resolve("perf-analyzer");
    PerfAnalyzerTool tool = PerfAnalyzerTool.locate(work.resolve("tool"));
    Map<Protocol, Path> inputData = writeInputData(work);
    Path repository = workspace.tinyRepository();

    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.put("perf_analyzer_version", tool.version());
    report.put("model", MODEL);
    report.put(
        "input",
        "pixels ["
            + PIXEL_SIZE
            + ", "
            + PIXEL_SIZE
            + ", 3] float32, standard normal, seed "
            + SEED);
    report.put("batch_size", BATCH);
    report.put("server_config", SERVER_CONFIG);
    report.put("warm_up_seconds", WARM_UP.toSeconds());
    report.put("perf_analyzer_windows", PerfAnalyzerLoad.WINDOWS);
    int successes = 0;
    try (ServerUnderTest server =
        ServerUnderTest.start(repository, work.resolve("server"), SERVER_CONFIG, true)) {
      warmUp(server);
      var loads = report.putArray("loads");
      for (int level = 0; level < CONCURRENCIES.size(); level++) {
        int concurrency = CONCURRENCIES.get(level);
        ObjectNode load = loads.addObject();
        load.put("concurrency", concurrency);
        boolean generatorFirst = level % 2 == 1;
        LoadResult generated = generatorFirst ? generate(server, concurrency) : null;
        Map<Protocol, ObjectNode> analyzed = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
          ObjectNode result = analyze(tool, server, protocol, concurrency, inputData, work);
          analyzed.put(protocol, result);
          successes += result.has(Measurements.IMAGES_PER_SECOND) ? 1 : 0;
        }
        if (!generatorFirst) {
          generated = generate(server, concurrency);
        }
        ObjectNode bench = load.putObject("swinserve_bench");
        Measurements.record(bench, generated);
        out.println(Measurements.line(concurrency, "swinserve bench", bench));
        ObjectNode perfAnalyzer = load.putObject("perf_analyzer");
        for (var entry : analyzed.entrySet()) {
          ObjectNode result = entry.getValue();
          Measurements.compare(result, bench);
          perfAnalyzer.set(entry.getKey().label(), result);
          out.println(
              Measurements.line(concurrency, "perf_analyzer " + entry.getKey().label(), result));
        }
      }
    }
    if (successes == 0) {
      throw new IllegalStateException(
          "perf_analyzer measured nothing through any door; see the logs in " + work);
    }
    return report;
  }

  private Map<Protocol, Path> writeInputData(Path work) throws IOException {
    Files.createDirectories(work);
    float[] pixels = PixelValues.standardNormal(SEED, PIXEL_SIZE);
    Map<Protocol, Path> files = new EnumMap<>(Protocol.class);
    for (Protocol protocol : Protocol.values()) {
      Path file = work.resolve("input-" + protocol.input() + ".json");
      if (!Files.exists(file)) {
        InputDataFile.write(file, protocol.input(), pixels, PIXEL_SIZE);
      }
      files.put(protocol, file);
    }
    return files;
  }

  private LoadSpec.Builder spec(int concurrency) {
    return LoadSpec.builder(ModelSpec.newBuilder().setName(MODEL).build())
        .mode(LoadMode.UNARY)
        .concurrency(concurrency)
        .input(InputKind.PIXELS)
        .pixelSize(PIXEL_SIZE)
        .batch(BATCH)
        .seed(SEED)
        .deadline(DEADLINE);
  }

  private void warmUp(ServerUnderTest server) throws InterruptedException {
    int callers = CONCURRENCIES.stream().mapToInt(Integer::intValue).max().orElse(1);
    out.printf("warming up: %d callers for %d s%n", callers, WARM_UP.toSeconds());
    LoadResult warm =
        new LoadGenerator()
            .run(spec(callers).warmup(WARM_UP).requests(callers).build(), server.channel());
    if (warm.succeeded() == 0) {
      throw new IllegalStateException(
          "the server answered no request after the warm-up: " + warm.errors());
    }
  }

  /** The load generator at {@code concurrency}; a second of ramp-up, then {@link #duration}. */
  private LoadResult generate(ServerUnderTest server, int concurrency) throws InterruptedException {
    LoadResult result =
        new LoadGenerator()
            .run(
                spec(concurrency).warmup(Duration.ofSeconds(1)).duration(duration).build(),
                server.channel());
    if (result.failed() > 0) {
      throw new IllegalStateException(result.failed() + " requests failed: " + result.errors());
    }
    return result;
  }

  /** One {@code perf_analyzer} run: its numbers, or why there are none. */
  private ObjectNode analyze(
      PerfAnalyzerTool tool,
      ServerUnderTest server,
      Protocol protocol,
      int concurrency,
      Map<Protocol, Path> inputData,
      Path work)
      throws IOException, InterruptedException {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    String target = server.target();
    if (protocol.http()) {
      target = "127.0.0.1:" + server.httpPort().orElseThrow();
    }
    String name = protocol.label() + "-" + concurrency;
    Path csv = work.resolve(name + ".csv");
    Path log = work.resolve(name + ".log");
    Files.deleteIfExists(csv);
    PerfAnalyzerLoad load =
        new PerfAnalyzerLoad(
            protocol, target, MODEL, concurrency, BATCH, duration, inputData.get(protocol), csv);
    PerfAnalyzerTool.Result run =
        tool.run(load.arguments(), log, duration.plus(Duration.ofMinutes(3)));
    result.put("log", log.toString());
    if (!run.succeeded() || !Files.exists(csv)) {
      result.put("error", run.tail());
      return result;
    }
    PerfAnalyzerCsv.Row row = PerfAnalyzerCsv.parse(Files.readString(csv)).get(0);
    Measurements.record(result, row, ClientSummary.parse(run.output()));
    return result;
  }
}
