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

/** {@code swinserve models set-label MODEL LABEL VERSION}: moves a label at run time. */
@Command(name = "set-label",
    description = {"Points LABEL of MODEL at VERSION, which must be available.",
        "Run-time labels win over the model's config file until the server restarts."})
final class SetLabelCommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @ParentCommand ModelsCommand models;

  @Parameters(index = "0", paramLabel = "MODEL", description = "model name")
  String model;

  @Parameters(index = "1", paramLabel = "LABEL", description = "label, e.g. stable or canary")
  String label;

  @Parameters(index = "2", paramLabel = "VERSION", description = "version the label should point at")
  long version;

  @Override
  public String target() {
    return models.target();
  }

  @Override
  public Integer call() {
    try (ModelServiceClient client = models.connect()) {
      ModelStatus status = client.setLabel(model, label, version, models.deadline(ModelsCommand.DEFAULT_DEADLINE));
      PrintWriter out = spec.commandLine().getOut();
      out.println(model + ": " + label + " -> version " + version);
      ModelTable.print(out, List.of(status));
    }
    return 0;
  }
}
