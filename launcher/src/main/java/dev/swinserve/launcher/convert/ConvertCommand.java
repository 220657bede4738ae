package dev.swinserve.launcher.convert;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelExport;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.converter.hub.ConsoleProgress;
import dev.swinserve.converter.hub.HubCheckpoint;
import dev.swinserve.converter.hub.HubConfig;
import dev.swinserve.converter.hub.HubDownloader;
import dev.swinserve.converter.swinv2.SwinV2Presets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code swinserve convert}: one checkpoint (folder, hub or preset) into a model repository. */
@Command(
    name = "convert",
    sortOptions = false,
    description = {
      "Converts a SwinV2 classifier into a TensorFlow SavedModel at <output>/<name>/<version>/.",
      "The version appears only once complete; existing versions are never overwritten."
    })
public final class ConvertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nSource (exactly one):%n")
  Source source;

  static final class Source {
    @Option(
        names = "--checkpoint",
        paramLabel = "DIR",
        description =
            "Hugging Face checkpoint folder (config.json, preprocessor_config.json, "
                + "model.safetensors or pytorch_model.bin)")
    Path checkpoint;

    @Option(
        names = "--from-hub",
        paramLabel = "REPO",
        description =
            "hub repository, e.g. microsoft/swinv2-tiny-patch4-window8-256 "
                + "(endpoint from HF_ENDPOINT, token from HF_TOKEN)")
    String hubRepository;

    @Option(
        names = "--preset",
        paramLabel = "NAME",
        description = "a published architecture (see --list-presets); needs --random-init")
    String preset;

    @Option(names = "--list-presets", description = "print the preset names and exit")
    boolean listPresets;
  }

  @Option(
      names = "--revision",
      paramLabel = "REV",
      defaultValue = "main",
      description = "hub revision (branch, tag or commit) for --from-hub; default ${DEFAULT-VALUE}")
  String revision;

  @Option(
      names = "--random-init",
      paramLabel = "SEED",
      description = "build seeded demo weights for --preset (their predictions mean nothing)")
  Long seed;

  @Option(names = "--output", paramLabel = "REPOSITORY", description = "model repository root")
  Path output;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "model name; default: the preset, hub repository or checkpoint folder name")
  String name;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "version number; default: one more than the newest existing version")
  Long version;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "hub download cache; default $SWINSERVE_CACHE/hub or ~/.cache/swinserve/hub")
  Path cacheDirectory;

  @Option(names = "--quiet", description = "no progress output")
  boolean quiet;

  // Not picocli's standard help mixin: its --version would clash with the model version option.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;

  /** HF_ENDPOINT, HF_TOKEN and SWINSERVE_CACHE are read from here. */
  private final Map<String, String> environment;

  public ConvertCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The command with swinserve's error handling: clear one-line messages, exit code 1. */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new ConvertCommand(environment));
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          line.getErr().println("convert failed: " + describe(exception));
          return 1;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (source.listPresets) {
      SwinV2Presets.names().forEach(out::println);
      return 0;
    }
    if (output == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--output=REPOSITORY'");
    }
    if ((source.preset != null) != (seed != null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--preset and --random-init go together (no published weights are bundled)");
    }
    ModelExport model;
    String defaultName;
    if (source.checkpoint != null) {
      model =
          ModelSources.fromCheckpoint(
              source.checkpoint, "checkpoint:" + source.checkpoint.toAbsolutePath().normalize());
      defaultName = source.checkpoint.toAbsolutePath().normalize().getFileName().toString();
    } else if (source.hubRepository != null) {
      HubCheckpoint downloaded = download(source.hubRepository);
      HubCheckpoint.FileSource weights = downloaded.weights();
      model =
          ModelSources.fromCheckpoint(
              downloaded.directory(),
              "hub:"
                  + downloaded.repository()
                  + "@"
                  + weights.revision()
                  + " (commit "
                  + weights.commit()
                  + ", "
                  + weights.name()
                  + ")");
      defaultName = source.hubRepository.substring(source.hubRepository.lastIndexOf('/') + 1);
    } else {
      model = ModelSources.fromPreset(source.preset, seed);
      defaultName = source.preset;
    }
    Path written =
        ModelRepositoryWriter.write(
            output,
            name != null ? name : defaultName,
            version == null ? OptionalLong.empty() : OptionalLong.of(version),
            model);
    out.println("wrote " + written + " (" + model.config() + ")");
    if (model.metadata().demoWeights()) {
      out.println("NOTE: " + model.metadata().note());
    }
    return 0;
  }

  private HubCheckpoint download(String repository) throws InterruptedException {
    HubConfig config =
        HubConfig.fromEnvironment(environment, Path.of(System.getProperty("user.home")));
    if (cacheDirectory != null) {
      config = config.withCacheDirectory(cacheDirectory);
    }
    return new HubDownloader(config, ConsoleProgress.onStandardError(quiet))
        .download(repository, revision);
  }

  private static String describe(Throwable exception) {
    String message = exception.getMessage();
    return message != null ? message : exception.toString();
  }
}
