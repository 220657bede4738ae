package dev.swinserve.client.cli;

import dev.swinserve.client.ClassifierClient;
import dev.swinserve.client.ClientChannels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code swinserve classify}: image files or folders through a served model, results as a table. */
@Command(name = "classify", sortOptions = false,
    description = {"Classifies image files (JPEG, PNG, GIF, BMP) with a model a swinserve server hosts.",
        "A folder stands for its image files, sorted. Exit code 1 when any image or call failed."})
public final class ClassifyCommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", required = true, description = "model name")
  String model;

  @ArgGroup(exclusive = true)
  VersionChoice versionChoice;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
      description = "classes per image, best first; default: the server's (5)")
  int topK;

  @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = ClientChannels.DEFAULT_TARGET,
      description = "server address; default ${DEFAULT-VALUE}")
  String target;

  @Option(names = "--deadline-ms", paramLabel = "MS", defaultValue = "30000",
      description = "deadline per call, or for the whole stream with --stream; default ${DEFAULT-VALUE}")
  long deadlineMillis;

  @Option(names = "--stream", description = "send every image over one ClassifyStream call")
  boolean stream;

  @Option(names = "--in-flight", paramLabel = "N", defaultValue = "8",
      description = "with --stream: most requests unanswered at once; default ${DEFAULT-VALUE}")
  int inFlight;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
      description = "images per request; default ${DEFAULT-VALUE}")
  int batch;

  @Option(names = "--recursive", description = "look for images in subfolders too")
  boolean recursive;

  @Option(names = "--json", description = "one JSON object per image and line instead of a table")
  boolean json;

  // Not picocli's standard help mixin: its --version would clash with the model version option.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Parameters(paramLabel = "FILES-OR-FOLDERS", arity = "1..*", description = "images, or folders of images")
  List<Path> inputs;

  private final ChannelFactory channels;

  public ClassifyCommand(ChannelFactory channels) {
    this.channels = channels;
  }

  public static void main(String[] args) {
    System.exit(commandLine(ClientChannels::plaintext).execute(args));
  }

  /** The command over channels from {@code channels}, with swinserve's messages and exit codes. */
  public static CommandLine commandLine(ChannelFactory channels) {
    return CommandErrors.install(new CommandLine(new ClassifyCommand(channels)));
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public Integer call() throws InterruptedException {
    CommandErrors.requireAtLeast(spec, "--top-k", topK, 0);
    CommandErrors.requireAtLeast(spec, "--deadline-ms", deadlineMillis, 1);
    CommandErrors.requireAtLeast(spec, "--in-flight", inFlight, 1);
    CommandErrors.requireAtLeast(spec, "--batch", batch, 1);
    List<Path> files;
    try {
      files = ImageFiles.expand(inputs, recursive);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    List<ImageBatch> batches = ImageBatch.split(files, batch);
    ClassificationOutput output = json
        ? new JsonOutput(spec.commandLine().getOut())
        : new TableOutput(spec.commandLine().getOut(), spec.commandLine().getErr(), files, model);
    try (ClassifierClient client = new ClassifierClient(channels.open(target))) {
      ClassifyRun run = new ClassifyRun(client, VersionChoice.modelSpec(model, versionChoice), topK,
          Duration.ofMillis(deadlineMillis), output);
      boolean allClassified = stream ? run.stream(batches, inFlight) : run.unary(batches);
      return allClassified ? 0 : CommandErrors.FAILED;
    }
  }
}
