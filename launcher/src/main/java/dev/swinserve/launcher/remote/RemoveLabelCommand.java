package dev.swinserve.launcher.remote;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code swinserve models remove-label MODEL LABEL}: removes a label set at run time. */
@Command(
    name = "remove-label",
    description = {
      "Removes LABEL of MODEL that set-label set. Where the model's model.yaml sets the",
      "same label, the file's value applies again; a label only model.yaml sets is refused",
      "(edit the file instead)."
    })
final class RemoveLabelCommand extends ModelSubcommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "model name")
  String model;

  @Parameters(index = "1", paramLabel = "LABEL", description = "label, e.g. canary")
  String label;

  @Override
  public Integer call() {
    return callAndPrint(
        ModelsCommand.DEFAULT_DEADLINE,
        (client, deadline) -> client.removeLabel(model, label, deadline),
        (out, status) -> {
          Long now = status.getLabelsMap().get(label);
          out.println(
              model
                  + ": "
                  + label
                  + (now == null ? " removed" : " -> version " + now + " (from model.yaml)"));
          ModelTable.print(out, List.of(status));
        });
  }
}
