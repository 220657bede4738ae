package dev.swinserve.bench.soak;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.bench.harness.ServerUnderTest;
import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.client.SwinserveClient;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The soak: a real {@code swinserve serve} under mixed good load (unary calls, streams, an endpoint
 * with a weighted split and a 100% shadow) while versions are added, deleted and corrupted, the
 * {@code stable} label flips, {@code endpoints.yaml} changes and bad inputs arrive. It counts the
 * good calls that failed (target 0) by cause, the bad inputs by the status they got, and the
 * server's resident size at {@link SoakSettings#earlyMark()} and at the end (target: within 5%).
 * The server runs with its shipped defaults.
 */
public final class SoakScenario {

  private static final String SERVER_CONFIG = "";
  private static final String GOOD_PHOTO = "chelsea-progressive.jpg";
  private static final String TRUNCATED_PHOTO = "rocket.jpg";
  private static final String SMALL_IMAGE = "green-palette.png";

  private final Workspace workspace;
  private final SoakSettings settings;
  private final PrintStream out;

  public SoakScenario(Workspace workspace, SoakSettings settings, PrintStream out) {
    this.workspace = workspace;
    this.settings = settings;
    this.out = out;
  }

  /** Runs the soak for {@link SoakSettings#duration()} and returns its report. */
  public ObjectNode run() throws Exception {
    Path root = workspace.root().resolve("repository-soak");
    SoakRepository.create(workspace, root);
    Path work = workspace.root().resolve("soak");
    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.set("settings", settings());
    try (ServerUnderTest server = ServerUnderTest.start(root, work, SERVER_CONFIG);
        SwinserveClient client = SwinserveClient.connect(server.target())) {
      awaitServing(server);
      long start = System.nanoTime();
      DoubleSupplier elapsed = () -> (System.nanoTime() - start) / 1e9;
      HeapReader heap = new HeapReader(server.pid());
      ResidentSampler resident =
          new ResidentSampler(
              server::residentBytes,
              () -> heap.committedBytes().orElse(-1),
              () -> availableVersions(server));
      ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
      sampling.scheduleAtFixedRate(
          () -> resident.sample(elapsed.getAsDouble()),
          0,
          settings.residentInterval().toMillis(),
          TimeUnit.MILLISECONDS);
      GoodLoad load = new GoodLoad(client, image(GOOD_PHOTO), elapsed);
      Chaos chaos =
          new Chaos(
              new ChaosPlan(settings.seed(), settings.chaosMinWait(), settings.chaosMaxWait()),
              new RepositoryChaos(root, SoakRepository.template(workspace)),
              new LabelFlipper(server.channel()),
              new BadInputs(server.channel(), image(TRUNCATED_PHOTO), image(SMALL_IMAGE)),
              elapsed);
      out.printf(
          "soak for %s (seed %d): %d unary callers, %d streams x %d in flight; server log %s%n",
          SoakSettings.format(settings.duration()),
          settings.seed(),
          settings.unaryCallers(),
          settings.streams(),
          settings.streamInFlight(),
          work.resolve("server.log"));
      load.start(settings.unaryCallers(), settings.streams(), settings.streamInFlight());
      try {
        chaos.run(start + settings.duration().toNanos());
      } finally {
        sampling.shutdownNow();
        resident.sample(elapsed.getAsDouble());
        load.stop();
      }
      report.set("good_calls", SoakReport.goodCalls(load));
      report.set("bad_inputs", SoakReport.badInputs(chaos));
      report.set("resident", SoakReport.resident(resident, settings.earlyMark().toMillis() / 1e3));
      report.set("chaos", SoakReport.chaos(chaos));
      ObjectNode serverNode = report.putObject("server");
      serverNode.put("alive_at_end", server.alive());
      if (server.alive()) {
        report.set("shadow_metrics", SoakReport.shadows(server.metrics(false)));
      } else {
        serverNode.put("exit_code", server.exitCode());
      }
    }
    ((ObjectNode) report.get("server")).put("log_lines", lineCount(work.resolve("server.log")));
    SoakReport.print(report, out);
    return report;
  }

  private ObjectNode settings() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("duration", SoakSettings.format(settings.duration()));
    node.put("seed", settings.seed());
    node.put("unary_callers", settings.unaryCallers());
    node.put("streams", settings.streams());
    node.put("stream_in_flight", settings.streamInFlight());
    node.put("stream_length", GoodLoad.STREAM_LENGTH);
    node.put(
        "chaos_wait_ms",
        settings.chaosMinWait().toMillis() + "-" + settings.chaosMaxWait().toMillis());
    node.put("resident_interval_s", settings.residentInterval().toSeconds());
    node.put("server_config", SERVER_CONFIG.isEmpty() ? "defaults" : SERVER_CONFIG);
    node.put("server_java_options", System.getenv().getOrDefault("SWINSERVE_SERVER_JAVA_OPTS", ""));
    return node;
  }

  /** Waits until every model of the repository serves: the server listens before loading ends. */
  private static void awaitServing(ServerUnderTest server) throws InterruptedException {
    ModelServiceGrpc.ModelServiceBlockingStub models =
        ModelServiceGrpc.newBlockingStub(server.channel());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    for (String model : List.of(SoakRepository.ALPHA, SoakRepository.BETA, SoakRepository.GAMMA)) {
      while (!serving(models, model)) {
        if (System.nanoTime() > deadline || !server.alive()) {
          throw new IllegalStateException(model + " did not become SERVING within 3 minutes");
        }
        Thread.sleep(200);
      }
    }
  }

  /** How many versions of all models are AVAILABLE now; -1 when the server does not say. */
  private static int availableVersions(ServerUnderTest server) {
    try {
      return (int)
          ModelServiceGrpc.newBlockingStub(server.channel())
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listModels(ListModelsRequest.getDefaultInstance())
              .getModelsList()
              .stream()
              .flatMap(model -> model.getVersionsList().stream())
              .filter(version -> version.getState() == VersionState.AVAILABLE)
              .count();
    } catch (StatusRuntimeException e) {
      return -1;
    }
  }

  private static boolean serving(ModelServiceGrpc.ModelServiceBlockingStub models, String model) {
    try {
      return models
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getModelStatus(Requests.model(model))
          .getServing();
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  private byte[] image(String name) throws IOException {
    for (Path image : workspace.images()) {
      if (image.getFileName().toString().equals(name)) {
        return Files.readAllBytes(image);
      }
    }
    throw new IllegalStateException("fixture image " + name + " not found");
  }

  private static long lineCount(Path file) throws IOException {
    long lines = 0;
    for (byte value : Files.readAllBytes(file)) {
      if (value == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
