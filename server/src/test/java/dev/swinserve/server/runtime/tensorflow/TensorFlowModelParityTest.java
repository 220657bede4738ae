package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A loaded version reproduces the reference implementation's logits on every fixture. */
class TensorFlowModelParityTest {

  @TempDir Path repository;

  @ParameterizedTest
  @ValueSource(
      strings = {"swinv2-mini-window4to3", "swinv2-mini-window4", "swinv2-mini-96-window6"})
  void logitsReproduceTheReference(String fixture) throws Exception {
    Path version = TestModels.export(repository, fixture);
    Map<String, FloatTensor> reference = TestModels.reference(fixture);
    FloatTensor pixels = reference.get("pixel_values");
    FloatTensor expected = reference.get("logits");
    int batchSize = (int) pixels.shape()[0];

    try (ClassificationModel model =
        new TensorFlowModelLoader(RuntimeConfig.defaults())
            .load(new ModelVersionId(fixture, 1), version, ModelConfig.defaults())) {
      float[][] logits = model.logits(pixels.data(), batchSize);

      assertThat(logits).hasDimensions(batchSize, (int) expected.shape()[1]);
      assertThat(TestModels.relativeError(TestModels.flatten(logits), expected.data()))
          .as("‖logits − reference‖ / ‖reference‖ for %s", fixture)
          .isLessThanOrEqualTo(1e-4);
    }
  }
}
