package dev.swinserve.converter.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

/**
 * What the converter writes is what {@link ModelVersionLayout}, the contract the server reads,
 * says.
 */
class ModelVersionLayoutTest {

  private static final String FIXTURE = "swinv2-mini-window4";

  @TempDir Path repository;

  @Test
  void anExportedVersionHoldsEveryFileOfTheLayout() throws Exception {
    Path version = export();

    assertThat(version.resolve(ModelVersionLayout.SAVED_MODEL_FILE)).isRegularFile();
    assertThat(version.resolve(ModelVersionLayout.ASSETS_DIRECTORY)).isDirectory();
    assertThat(
            Files.readAllLines(
                version.resolve(ModelVersionLayout.LABELS_ASSET), StandardCharsets.UTF_8))
        .hasSize(10);
    assertThat(
            PreprocessingSettings.read(version.resolve(ModelVersionLayout.PREPROCESSING_ASSET))
                .height())
        .isEqualTo(64);
    assertThat(ModelMetadata.read(version.resolve(ModelVersionLayout.METADATA_ASSET)).numClasses())
        .isEqualTo(10);
  }

  @Test
  void itsSavedModelHasTheTagAndSignatureOfTheLayout() {
    Path version = export();

    try (SavedModelBundle bundle =
        SavedModelBundle.load(version.toString(), ModelVersionLayout.TAG)) {
      assertThat(bundle.signatures())
          .extracting(Signature::key)
          .contains(ModelVersionLayout.SIGNATURE);
      Signature signature =
          bundle.signatures().stream()
              .filter(candidate -> candidate.key().equals(ModelVersionLayout.SIGNATURE))
              .findFirst()
              .orElseThrow();
      assertThat(signature.inputNames()).containsExactly(ModelVersionLayout.INPUT);
      assertThat(signature.outputNames())
          .containsExactlyInAnyOrder(ModelVersionLayout.LOGITS, ModelVersionLayout.PROBABILITIES);
    }
  }

  private Path export() {
    return ModelRepositoryWriter.write(
        repository,
        FIXTURE,
        OptionalLong.of(1),
        ModelSources.fromCheckpoint(Fixtures.checkpoint(FIXTURE), "test:" + FIXTURE));
  }
}
