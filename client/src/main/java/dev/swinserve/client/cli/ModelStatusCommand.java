package dev.swinserve.client.cli;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.ModelServiceClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code swinserve models status NAME}: one model's versions. */
@Command(name = "status", description = "Shows one model; with --version or --label, only that version.")
final class ModelStatusCommand implements Callable<Integer>, RemoteCommand {

  @Spec CommandSpec spec;

  @ParentCommand ModelsCommand models;

  @Parameters(index = "0", paramLabel = "NAME", description = "model name")
  String name;

  @ArgGroup(exclusive = true)
  VersionChoice versionChoice;

  static final class VersionChoice {
    @Option(names = "--version", paramLabel = "N", required = true, description = "only this version")
    Long version;

    @Option(names = "--label", paramLabel = "L", required = true, description = "only the version with this label")
    String label;
  }

  @Override
  public String target() {
    return models.target();
  }

  @Override
  public Integer call() {
    ModelSpec.Builder model = ModelSpec.newBuilder().setName(name);
    if (versionChoice != null && versionChoice.version != null) {
      model.setVersion(versionChoice.version);
    } else if (versionChoice != null) {
      model.setLabel(versionChoice.label);
    }
    try (ModelServiceClient client = models.connect()) {
      ModelTable.print(spec.commandLine().getOut(),
          List.of(client.getModelStatus(model.build(), models.deadline(ModelsCommand.DEFAULT_DEADLINE))));
    }
    return 0;
  }
}
