package dev.swinserve.launcher.remote;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code swinserve models set-label MODEL LABEL VERSION}: moves a label at run time. */
@Command(
    name = "set-label",
    description = {
      "Points LABEL of MODEL at VERSION, which must be available.",
      "Run-time labels win over the model's config file until the server restarts."
    })
final class SetLabelCommand extends ModelSubcommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "model name")
  String model;

  @Parameters(index = "1", paramLabel = "LABEL", description = "label, e.g. stable or canary")
  String label;

  @Parameters(
      index = "2",
      paramLabel = "VERSION",
      description = "version the label should point at")
  long version;

  @Override
  public Integer call() {
    return callAndPrint(
        ModelsCommand.DEFAULT_DEADLINE,
        (client, deadline) -> client.setLabel(model, label, version, deadline),
        (out, status) -> {
          out.println(model + ": " + label + " -> version " + version);
          ModelTable.print(out, List.of(status));
        });
  }
}
