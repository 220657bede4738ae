package dev.swinserve.launcher.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.converter.hub.FakeHubServer;
import dev.swinserve.converter.testing.SavedModels;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.format.testing.ReferenceOutputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code swinserve convert} end to end: real files in, a loadable SavedModel out. */
class ConvertCommandTest {

  private static final String FIXTURE = "swinv2-mini-window4";

  @TempDir Path temp;

  record Run(int exitCode, String out, String err) {}

  private Run convert(Map<String, String> environment, String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = ConvertCommand.commandLine(environment);
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Run convert(String... arguments) {
    return convert(Map.of(), arguments);
  }

  @Test
  void convertsACheckpointFolderIntoTheRepositoryLayout() throws IOException {
    Path repository = temp.resolve("models");

    Run run =
        convert(
            "--checkpoint",
            Fixtures.checkpoint(FIXTURE).toString(),
            "--output",
            repository.toString(),
            "--name",
            "mini",
            "--version",
            "3",
            "--quiet");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Path version = repository.resolve("mini").resolve("3");
    assertThat(version.resolve("saved_model.pb")).isRegularFile();
    assertThat(version.resolve("variables")).isDirectory();
    assertThat(Files.readAllLines(version.resolve(ModelVersionLayout.LABELS_ASSET)))
        .hasSize(10)
        .startsWith("class_0");
    assertThat(
            PreprocessingSettings.read(version.resolve(PreprocessingSettings.ASSET_PATH)).height())
        .isEqualTo(64);
    ModelMetadata metadata = ModelMetadata.read(version.resolve(ModelVersionLayout.METADATA_ASSET));
    assertThat(metadata.demoWeights()).isFalse();
    assertThat(metadata.source()).startsWith("checkpoint:").endsWith(FIXTURE);
    assertThat(Files.size(version.resolve("saved_model.pb")))
        .as("weights live in variables/, not as graph constants")
        .isLessThan(Files.size(Fixtures.checkpoint(FIXTURE).resolve("model.safetensors")) / 2);
    assertReproducesReference(version, FIXTURE);
  }

  @Test
  void pytorchWeightsGiveTheSameOutputsAsSafetensors() throws IOException {
    Path pytorchOnly = temp.resolve("pytorch-only");
    Files.createDirectories(pytorchOnly);
    for (String file :
        new String[] {"config.json", "preprocessor_config.json", "pytorch_model.bin"}) {
      Files.copy(Fixtures.checkpoint(FIXTURE).resolve(file), pytorchOnly.resolve(file));
    }
    Path repository = temp.resolve("models");

    assertThat(
            convert(
                    "--checkpoint",
                    Fixtures.checkpoint(FIXTURE).toString(),
                    "--output",
                    repository.toString(),
                    "--name",
                    "safetensors")
                .exitCode())
        .isZero();
    assertThat(
            convert(
                    "--checkpoint",
                    pytorchOnly.toString(),
                    "--output",
                    repository.toString(),
                    "--name",
                    "pytorch")
                .exitCode())
        .isZero();

    FloatTensor pixels = referencePixels(FIXTURE);
    float[] fromSafetensors = SavedModels.logits(repository.resolve("safetensors/1"), pixels);
    float[] fromPytorch = SavedModels.logits(repository.resolve("pytorch/1"), pixels);
    assertThat(fromPytorch).containsExactly(fromSafetensors);
  }

  @Test
  void convertsFromTheHubThroughHfEndpoint() throws IOException {
    try (FakeHubServer hub = FakeHubServer.start()) {
      hub.publishFolder(
          "microsoft/swinv2-mini",
          "main",
          "c".repeat(40),
          Fixtures.checkpoint(FIXTURE),
          "config.json",
          "preprocessor_config.json",
          "model.safetensors");
      Path repository = temp.resolve("models");
      Map<String, String> environment = Map.of("HF_ENDPOINT", hub.endpoint().toString());

      Run run =
          convert(
              environment,
              "--from-hub",
              "microsoft/swinv2-mini",
              "--output",
              repository.toString(),
              "--cache-dir",
              temp.resolve("cache").toString(),
              "--quiet");

      assertThat(run.exitCode()).as(run.err()).isZero();
      Path version = repository.resolve("swinv2-mini").resolve("1");
      assertThat(ModelMetadata.read(version.resolve(ModelVersionLayout.METADATA_ASSET)).source())
          .startsWith("hub:microsoft/swinv2-mini@main")
          .contains("c".repeat(40));
      assertReproducesReference(version, FIXTURE);
    }
  }

  @Test
  void presetWithRandomInitBuildsTheRealArchitectureAndSaysItIsDemo() throws IOException {
    Path repository = temp.resolve("models");

    Run run =
        convert(
            "--preset",
            "swinv2-tiny-patch4-window8-256",
            "--random-init",
            "42",
            "--output",
            repository.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("DEMO WEIGHTS");
    Path version = repository.resolve("swinv2-tiny-patch4-window8-256").resolve("1");
    ModelMetadata metadata = ModelMetadata.read(version.resolve(ModelVersionLayout.METADATA_ASSET));
    assertThat(metadata.demoWeights()).isTrue();
    assertThat(metadata.seed()).isEqualTo(42L);
    assertThat(metadata.note()).contains("mean nothing");
    float[] logits =
        SavedModels.logits(
            version, new FloatTensor(new long[] {1, 256, 256, 3}, new float[256 * 256 * 3]));
    assertThat(logits).hasSize(1000);
    for (float logit : logits) {
      assertThat(logit).isFinite();
    }
  }

  @Test
  void aFailedConversionLeavesNothingBehind() throws IOException {
    Path broken = temp.resolve("broken");
    Files.createDirectories(broken);
    Files.copy(
        Fixtures.checkpoint(FIXTURE).resolve("preprocessor_config.json"),
        broken.resolve("preprocessor_config.json"));
    Files.copy(
        Fixtures.checkpoint(FIXTURE).resolve("model.safetensors"),
        broken.resolve("model.safetensors"));
    // The weights are for embed_dim 24; the config claims 48.
    Files.writeString(
        broken.resolve("config.json"),
        Files.readString(Fixtures.checkpoint(FIXTURE).resolve("config.json"))
            .replace("\"embed_dim\": 24", "\"embed_dim\": 48"));
    Path repository = temp.resolve("models");

    Run run =
        convert(
            "--checkpoint",
            broken.toString(),
            "--output",
            repository.toString(),
            "--name",
            "broken");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("swinv2.embeddings.patch_embeddings.projection.weight")
        .contains("expected shape [48, 3, 4, 4]")
        .contains("actual [24, 3, 4, 4]")
        .contains("model.safetensors");
    assertThat(listing(repository)).as("no version and no staging folder").isEmpty();
  }

  @Test
  void refusesToOverwriteAVersionOrEscapeTheRepository() throws IOException {
    Path repository = temp.resolve("models");
    String checkpoint = Fixtures.checkpoint(FIXTURE).toString();
    assertThat(
            convert(
                    "--checkpoint",
                    checkpoint,
                    "--output",
                    repository.toString(),
                    "--name",
                    "m",
                    "--version",
                    "1")
                .exitCode())
        .isZero();
    long before = Files.getLastModifiedTime(repository.resolve("m/1/saved_model.pb")).toMillis();

    Run again =
        convert(
            "--checkpoint",
            checkpoint,
            "--output",
            repository.toString(),
            "--name",
            "m",
            "--version",
            "1");
    Run escape =
        convert(
            "--checkpoint", checkpoint, "--output", repository.toString(), "--name", "../outside");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    assertThat(Files.getLastModifiedTime(repository.resolve("m/1/saved_model.pb")).toMillis())
        .isEqualTo(before);
    assertThat(escape.exitCode()).isEqualTo(1);
    assertThat(escape.err()).contains("invalid model name '../outside'");
    assertThat(temp.resolve("outside")).doesNotExist();
    assertThat(listing(repository.resolve("m"))).containsExactly("1");
  }

  @Test
  void presetWithoutSeedIsAUsageError() {
    Run run = convert("--preset", "swinv2-tiny-patch4-window8-256", "--output", temp.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--random-init");
  }

  private static java.util.List<String> listing(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return java.util.List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  private static FloatTensor referencePixels(String fixture) {
    FloatTensor nchw =
        SafetensorsFile.readAll(Fixtures.checkpoint(fixture).resolve("io.safetensors"))
            .get("pixel_values");
    return ReferenceOutputs.toNhwc(nchw);
  }

  private static void assertReproducesReference(Path version, String fixture) {
    Map<String, FloatTensor> io =
        SafetensorsFile.readAll(Fixtures.checkpoint(fixture).resolve("io.safetensors"));
    FloatTensor reference = io.getOrDefault("logits_float64", io.get("logits"));
    float[] logits = SavedModels.logits(version, ReferenceOutputs.toNhwc(io.get("pixel_values")));
    assertThat(ReferenceOutputs.relativeError(logits, reference.data())).isLessThanOrEqualTo(1e-4);
  }
}
