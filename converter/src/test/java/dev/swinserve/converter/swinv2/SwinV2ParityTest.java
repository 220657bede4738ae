package dev.swinserve.converter.swinv2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.converter.export.SavedModelWriter;
import dev.swinserve.converter.testing.SavedModels;
import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.format.testing.ReferenceOutputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exported SavedModel reproduces the reference implementation's logits on every fixture. */
class SwinV2ParityTest {

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(
      strings = {"swinv2-mini-window4to3", "swinv2-mini-window4", "swinv2-mini-96-window6"})
  void savedModelReproducesReferenceLogits(String fixture) throws IOException {
    Path checkpoint = Fixtures.checkpoint(fixture);
    SwinV2Config config =
        SwinV2Config.fromHuggingFace(
            new ObjectMapper().readTree(checkpoint.resolve("config.json").toFile()));
    Map<String, FloatTensor> weights =
        SafetensorsFile.readAll(checkpoint.resolve("model.safetensors"));
    ParameterLayout.of(config).check(weights, "model.safetensors");
    Path exported = temp.resolve(fixture);
    SavedModelWriter.write(config, GraphParameters.prepare(config, weights), exported);

    Map<String, FloatTensor> io = SafetensorsFile.readAll(checkpoint.resolve("io.safetensors"));
    FloatTensor pixels = ReferenceOutputs.toNhwc(io.get("pixel_values"));
    FloatTensor reference =
        io.containsKey("logits_float64") ? io.get("logits_float64") : io.get("logits");

    float[] logits = SavedModels.logits(exported, pixels);

    double error = ReferenceOutputs.relativeError(logits, reference.data());
    System.out.printf("%s: relative error %.3g%n", fixture, error);
    assertThat(error).as("‖out − ref‖/‖ref‖ for %s", fixture).isLessThanOrEqualTo(1e-4);
  }
}
