package dev.swinserve.launcher.remote;

import dev.swinserve.api.v1.ModelSpec;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code swinserve models status NAME}: one model's versions. */
@Command(
    name = "status",
    description = "Shows one model; with --version or --label, only that version.")
final class ModelStatusCommand extends ModelSubcommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "model name")
  String name;

  @ArgGroup(exclusive = true)
  VersionChoice versionChoice;

  static final class VersionChoice {
    @Option(
        names = "--version",
        paramLabel = "N",
        required = true,
        description = "only this version")
    Long version;

    @Option(
        names = "--label",
        paramLabel = "L",
        required = true,
        description = "only the version with this label")
    String label;
  }

  @Override
  public Integer call() {
    ModelSpec.Builder model = ModelSpec.newBuilder().setName(name);
    if (versionChoice != null && versionChoice.version != null) {
      model.setVersion(versionChoice.version);
    } else if (versionChoice != null) {
      model.setLabel(versionChoice.label);
    }
    return callAndPrint(
        ModelsCommand.DEFAULT_DEADLINE,
        (client, deadline) -> client.getModelStatus(model.build(), deadline),
        (out, status) -> ModelTable.print(out, List.of(status)));
  }
}
