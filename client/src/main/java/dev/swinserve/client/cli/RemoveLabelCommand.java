package dev.swinserve.client.cli;

import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.client.ModelServiceClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code swinserve models remove-label MODEL LABEL}: removes a label set at run time. */
@Command(name = "remove-label",
    description = {"Removes LABEL of MODEL that set-label set. Where the model's model.yaml sets the",
        "same label, the file's value applies again; a label only model.yaml sets is refused",
        "(edit the file instead)."})
final class RemoveLabelCommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @ParentCommand ModelsCommand models;

  @Parameters(index = "0", paramLabel = "MODEL", description = "model name")
  String model;

  @Parameters(index = "1", paramLabel = "LABEL", description = "label, e.g. canary")
  String label;

  @Override
  public String target() {
    return models.target();
  }

  @Override
  public Integer call() {
    try (ModelServiceClient client = models.connect()) {
      ModelStatus status = client.removeLabel(model, label, models.deadline(ModelsCommand.DEFAULT_DEADLINE));
      PrintWriter out = spec.commandLine().getOut();
      Long now = status.getLabelsMap().get(label);
      out.println(model + ": " + label + (now == null ? " removed" : " -> version " + now + " (from model.yaml)"));
      ModelTable.print(out, List.of(status));
    }
    return 0;
  }
}
