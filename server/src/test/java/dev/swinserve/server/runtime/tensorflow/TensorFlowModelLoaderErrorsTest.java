package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.config.ConfigTree;
import dev.swinserve.converter.ModelSources;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionPolicy;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions that cannot be served fail at load with an {@link InvalidModelException} naming the file
 * and the problem. Failures after the SavedModel was opened close it (see the leak test for
 * memory).
 */
class TensorFlowModelLoaderErrorsTest {

  private static final ModelVersionId ID = new ModelVersionId("broken", 1);
  private static final TensorFlowModelLoader LOADER =
      new TensorFlowModelLoader(RuntimeConfig.defaults());

  @TempDir static Path repository;
  private static Path exported;
  @TempDir Path temp;

  @BeforeAll
  static void export() {
    exported = TestModels.export(repository, TestModels.MINI);
  }

  private Path damageableCopy() throws IOException {
    return TestModels.copy(exported, temp.resolve("broken").resolve("1"));
  }

  private static void load(Path version) throws Exception {
    LOADER.load(ID, version, ModelConfig.defaults()).close();
  }

  @Test
  void aDirectoryThatIsNoSavedModel() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("empty").resolve("1"));

    assertThatThrownBy(() -> load(empty))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("not a TensorFlow SavedModel");
    assertThatThrownBy(() -> load(temp.resolve("absent")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("no such directory");
  }

  @Test
  void aCorruptSavedModel() throws IOException {
    Path version = damageableCopy();
    Files.write(version.resolve("saved_model.pb"), new byte[] {0x0a, 0x7f, 0x01, 0x02});

    assertThatThrownBy(() -> load(version))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(version.toString())
        .hasMessageContaining("cannot load the SavedModel with tag 'serve'");
  }

  @Test
  void missingLabels() throws IOException {
    Path version = damageableCopy();
    Files.delete(version.resolve(ModelVersionLayout.LABELS_ASSET));

    assertThatThrownBy(() -> load(version))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(version.resolve("assets/labels.txt").toString())
        .hasMessageContaining("missing");
  }

  @Test
  void fewerLabelsThanTheModelHasClasses() throws IOException {
    Path version = damageableCopy();
    List<String> nine = IntStream.range(0, 9).mapToObj(index -> "class " + index).toList();
    Files.write(version.resolve(ModelVersionLayout.LABELS_ASSET), nine, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> load(version))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("output 'logits' has shape [-1, 10]")
        .hasMessageContaining("labels.txt has 9 labels");
  }

  @Test
  void blankLabel() throws IOException {
    Path version = damageableCopy();
    Files.writeString(version.resolve(ModelVersionLayout.LABELS_ASSET), "cat\n\ndog\n");

    assertThatThrownBy(() -> load(version))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("line 2 is blank");
  }

  @Test
  void preprocessingForAnotherInputSize() throws IOException {
    Path version = damageableCopy();
    Path settings = version.resolve(ModelVersionLayout.PREPROCESSING_ASSET);
    Files.delete(settings);
    ModelSources.imagenetPreprocessing(96).write(settings);

    assertThatThrownBy(() -> load(version))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(
            "input 'pixel_values' has shape [-1, 64, 64, 3]; expected [-1, 96, 96, 3]")
        .hasMessageContaining(ModelVersionLayout.PREPROCESSING_ASSET);
  }

  @Test
  void missingOrMalformedPreprocessingAndMetadata() throws IOException {
    Path withoutSettings = damageableCopy();
    Files.delete(withoutSettings.resolve(ModelVersionLayout.PREPROCESSING_ASSET));
    Path badMetadata = TestModels.copy(exported, temp.resolve("bad-metadata").resolve("1"));
    Files.writeString(badMetadata.resolve(ModelVersionLayout.METADATA_ASSET), "{not json");

    assertThatThrownBy(() -> load(withoutSettings))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(
            withoutSettings.resolve(ModelVersionLayout.PREPROCESSING_ASSET).toString())
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> load(badMetadata))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(badMetadata.resolve(ModelVersionLayout.METADATA_ASSET).toString());
  }

  @Test
  void anUnknownRuntimeKeyInModelYaml() throws IOException {
    ModelConfig config =
        new ModelConfig(
            VersionPolicy.latest(1),
            Map.of(),
            ConfigTree.parse(
                    "labels: {}\nruntime: {intra_op_thread: 2}\n",
                    exported.getParent().resolve("model.yaml").toString())
                .section("runtime"));

    assertThatThrownBy(() -> LOADER.load(ID, exported, config).close())
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(exported.getParent().resolve("model.yaml").toString())
        .hasMessageContaining("'runtime.intra_op_thread' is an unknown key")
        .hasMessageContaining("(line 2)");
  }
}
