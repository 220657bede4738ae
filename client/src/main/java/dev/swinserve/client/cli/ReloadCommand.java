package dev.swinserve.client.cli;

import dev.swinserve.client.ModelServiceClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code swinserve models reload}: rescans the server's repository now. */
@Command(name = "reload",
    description = {"Rescans the server's model repository now, then lists the models.",
        "Waits until every new version has loaded or failed."})
final class ReloadCommand implements Callable<Integer>, RemoteCommand {

  // Loading and warming a large model can take minutes; the call waits for all of them.
  private static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  @Spec CommandSpec spec;

  @ParentCommand ModelsCommand models;

  @Override
  public String target() {
    return models.target();
  }

  @Override
  public Integer call() {
    try (ModelServiceClient client = models.connect()) {
      ModelTable.print(spec.commandLine().getOut(), client.reloadRepository(models.deadline(DEFAULT_DEADLINE)));
    }
    return 0;
  }
}
