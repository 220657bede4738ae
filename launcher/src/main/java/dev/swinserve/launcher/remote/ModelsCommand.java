package dev.swinserve.launcher.remote;

import dev.swinserve.client.ClientChannels;
import dev.swinserve.client.ModelServiceClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code swinserve models}: lists the models a server hosts; its subcommands inspect one model,
 * move or remove a label and reload the repository.
 */
@Command(
    name = "models",
    sortOptions = false,
    description = {
      "Lists every model the server hosts, with each version's state, labels and error,",
      "then any problems: broken model.yaml files, dangling labels, refused folders and links."
    },
    subcommands = {
      ModelStatusCommand.class,
      SetLabelCommand.class,
      RemoveLabelCommand.class,
      ReloadCommand.class
    })
public final class ModelsCommand implements Callable<Integer>, RemoteCommand {

  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = ClientChannels.DEFAULT_TARGET,
      scope = ScopeType.INHERIT,
      description = "server address; default ${DEFAULT-VALUE}")
  String target;

  @Option(
      names = "--deadline-ms",
      paramLabel = "MS",
      scope = ScopeType.INHERIT,
      description = "call deadline; default 30000 (reload: 600000)")
  Long deadlineMillis;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "show this help and exit")
  boolean help;

  private final ChannelFactory channels;

  public ModelsCommand(ChannelFactory channels) {
    this.channels = channels;
  }

  public static void main(String[] args) {
    System.exit(commandLine(ClientChannels::plaintext).execute(args));
  }

  /** The command and its subcommands over channels from {@code channels}. */
  public static CommandLine commandLine(ChannelFactory channels) {
    return CommandErrors.install(new CommandLine(new ModelsCommand(channels)));
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public Integer call() {
    return callAndPrint(
        DEFAULT_DEADLINE,
        spec.commandLine().getOut(),
        ModelServiceClient::listModelsAndProblems,
        (out, response) ->
            ModelTable.print(out, response.getModelsList(), response.getProblemsList()));
  }

  /**
   * How this command and its subcommands run: connects to {@link #target()}, makes {@code call}
   * with the --deadline-ms given (else {@code fallback}), hands its answer and {@code out} to
   * {@code print}, and closes the connection.
   *
   * @return the exit code, 0 (a failed call throws, for {@link CommandErrors} to report)
   */
  <T> Integer callAndPrint(
      Duration fallback,
      PrintWriter out,
      BiFunction<ModelServiceClient, Duration, T> call,
      BiConsumer<PrintWriter, T> print) {
    try (ModelServiceClient client = new ModelServiceClient(channels.open(target))) {
      print.accept(out, call.apply(client, deadline(fallback)));
    }
    return 0;
  }

  /** The --deadline-ms given, else {@code fallback}. */
  private Duration deadline(Duration fallback) {
    if (deadlineMillis == null) {
      return fallback;
    }
    if (deadlineMillis < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--deadline-ms must be at least 1");
    }
    return Duration.ofMillis(deadlineMillis);
  }
}
