package dev.swinserve.launcher.remote;

import dev.swinserve.client.ClientChannels;
import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.SwinserveClient;
import dev.swinserve.client.resilience.BreakerListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * {@code swinserve classify}: image files or folders through a served model, results as a table.
 * Calls go through {@link SwinserveClient} with its default settings (retries, a breaker per
 * endpoint, reconnecting streams), so the command behaves as the library does.
 */
@Command(
    name = "classify",
    sortOptions = false,
    description = {
      "Classifies image files (JPEG, PNG, GIF, BMP) with a model a swinserve server hosts.",
      "A folder stands for its image files, sorted. Exit code 1 when any image or call failed."
    })
public final class ClassifyCommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", required = true, description = "model name")
  String model;

  @ArgGroup(exclusive = true)
  VersionChoice versionChoice;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "0",
      description = "classes per image, best first; default: the server's (5)")
  int topK;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = ClientChannels.DEFAULT_TARGET,
      description =
          "server address: HOST:PORT, a list HOST:PORT,HOST:PORT or dns:///NAME:PORT;"
              + " default ${DEFAULT-VALUE}")
  String target;

  // No picocli default: the client's own default applies (ClientConfig), shown in the description.
  @Option(
      names = "--deadline-ms",
      paramLabel = "MS",
      description =
          "deadline per call, retries included, or for the whole stream with --stream;"
              + " default 10000 (the client's)")
  Long deadlineMillis;

  @Option(names = "--stream", description = "send every image over one ClassifyStream call")
  boolean stream;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      defaultValue = "8",
      description = "with --stream: most requests unanswered at once; default ${DEFAULT-VALUE}")
  int inFlight;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "1",
      description = "images per request; default ${DEFAULT-VALUE}")
  int batch;

  @Option(names = "--recursive", description = "look for images in subfolders too")
  boolean recursive;

  @Option(names = "--json", description = "one JSON object per image and line instead of a table")
  boolean json;

  // Not picocli's standard help mixin: its --version would clash with the model version option.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;

  @Parameters(
      paramLabel = "FILES-OR-FOLDERS",
      arity = "1..*",
      description = "images, or folders of images")
  List<Path> inputs;

  private final ClientFactory clients;

  public ClassifyCommand(ClientFactory clients) {
    this.clients = clients;
  }

  public static void main(String[] args) {
    System.exit(
        commandLine(config -> SwinserveClient.connect(config, BreakerListener.NONE)).execute(args));
  }

  /** The command over clients from {@code clients}, with swinserve's messages and exit codes. */
  public static CommandLine commandLine(ClientFactory clients) {
    return CommandErrors.install(new CommandLine(new ClassifyCommand(clients)));
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public Integer call() throws InterruptedException {
    CommandErrors.requireAtLeast(spec, "--top-k", topK, 0);
    if (deadlineMillis != null) {
      CommandErrors.requireAtLeast(spec, "--deadline-ms", deadlineMillis, 1);
    }
    CommandErrors.requireAtLeast(spec, "--in-flight", inFlight, 1);
    CommandErrors.requireAtLeast(spec, "--batch", batch, 1);
    List<Path> files;
    try {
      files = ImageFiles.expand(inputs, recursive);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    List<ImageBatch> batches = ImageBatch.split(files, batch);
    ClassificationOutput output =
        json
            ? new JsonOutput(spec.commandLine().getOut())
            : new TableOutput(
                spec.commandLine().getOut(), spec.commandLine().getErr(), files, model);
    ClientConfig config = config();
    try (SwinserveClient client = clients.open(config)) {
      ClassifyRun run =
          new ClassifyRun(
              client,
              VersionChoice.modelSpec(model, versionChoice),
              topK,
              config.defaultDeadline(),
              output);
      boolean allClassified = stream ? run.stream(batches, inFlight) : run.unary(batches);
      return allClassified ? 0 : CommandErrors.FAILED;
    }
  }

  /** The client's defaults for {@code --target}, with {@code --deadline-ms} if given. */
  private ClientConfig config() {
    try {
      ClientConfig defaults = ClientConfig.defaults(target);
      return deadlineMillis == null
          ? defaults
          : defaults.withDefaultDeadline(Duration.ofMillis(deadlineMillis));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--target: " + e.getMessage(), e);
    }
  }
}
