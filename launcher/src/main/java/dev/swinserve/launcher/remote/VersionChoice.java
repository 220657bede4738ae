package dev.swinserve.launcher.remote;

import dev.swinserve.api.v1.ModelSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --version N | --label L} options that pick a model's version, for use as an exclusive
 * {@code @ArgGroup}; neither picks the model's default version.
 */
final class VersionChoice {

  @Option(names = "--version", paramLabel = "N", required = true, description = "model version")
  Long version;

  @Option(
      names = "--label",
      paramLabel = "L",
      required = true,
      description = "version label, e.g. stable or canary; default: the model's default version")
  String label;

  /**
   * {@code model} with the version or label {@code choice} names; {@code choice} is null for
   * neither.
   */
  static ModelSpec modelSpec(String model, VersionChoice choice) {
    ModelSpec.Builder spec = ModelSpec.newBuilder().setName(model);
    if (choice != null && choice.version != null) {
      spec.setVersion(choice.version);
    } else if (choice != null) {
      spec.setLabel(choice.label);
    }
    return spec.build();
  }
}
