package dev.swinserve.launcher.remote;

import dev.swinserve.client.ModelServiceClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand of {@code models}: one call to the server its parent's --target names. */
abstract class ModelSubcommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @ParentCommand ModelsCommand models;

  @Override
  public String target() {
    return models.target();
  }

  /** {@link ModelsCommand#callAndPrint}, printing to this command's output. */
  final <T> Integer callAndPrint(
      Duration fallback,
      BiFunction<ModelServiceClient, Duration, T> call,
      BiConsumer<PrintWriter, T> print) {
    return models.callAndPrint(fallback, spec.commandLine().getOut(), call, print);
  }
}
