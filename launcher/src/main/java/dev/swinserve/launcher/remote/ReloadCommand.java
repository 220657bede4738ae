package dev.swinserve.launcher.remote;

import dev.swinserve.client.ModelServiceClient;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code swinserve models reload}: rescans the server's repository now. */
@Command(
    name = "reload",
    description = {
      "Rescans the server's model repository now, then lists the models.",
      "Waits until every new version has loaded or failed."
    })
final class ReloadCommand extends ModelSubcommand {

  // Loading and warming a large model can take minutes; the call waits for all of them.
  private static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  @Override
  public Integer call() {
    return callAndPrint(DEFAULT_DEADLINE, ModelServiceClient::reloadRepository, ModelTable::print);
  }
}
