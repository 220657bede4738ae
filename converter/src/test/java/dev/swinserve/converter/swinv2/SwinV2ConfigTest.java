package dev.swinserve.converter.swinv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SwinV2ConfigTest {

  private final ObjectMapper json = new ObjectMapper();

  private ObjectNode fixtureConfig(String name) throws IOException {
    return (ObjectNode) json.readTree(Fixtures.checkpoint(name).resolve("config.json").toFile());
  }

  @Test
  void mapsEveryKeyOfAHuggingFaceConfig() throws IOException {
    SwinV2Config config = SwinV2Config.fromHuggingFace(fixtureConfig("swinv2-mini-96-window6"));

    assertThat(config.imageSize()).isEqualTo(96);
    assertThat(config.patchSize()).isEqualTo(4);
    assertThat(config.embedDim()).isEqualTo(16);
    assertThat(config.depths()).containsExactly(2, 2, 2, 2);
    assertThat(config.numHeads()).containsExactly(2, 2, 4, 8);
    assertThat(config.windowSize()).isEqualTo(6);
    assertThat(config.pretrainedWindowSizes()).containsExactly(4, 4, 4, 2);
    assertThat(config.numClasses()).as("size of id2label").isEqualTo(7);
    assertThat(config.layerNormEpsilon()).isEqualTo(1e-5);
  }

  @Test
  void defaultsMatchHuggingFace() throws IOException {
    ObjectNode minimal = fixtureConfig("swinv2-mini-window4");
    minimal.remove(
        java.util.List.of(
            "mlp_ratio",
            "qkv_bias",
            "layer_norm_eps",
            "pretrained_window_sizes",
            "hidden_act",
            "num_channels",
            "use_absolute_embeddings"));

    SwinV2Config config = SwinV2Config.fromHuggingFace(minimal);

    assertThat(config.mlpRatio()).isEqualTo(4.0);
    assertThat(config.qkvBias()).isTrue();
    assertThat(config.layerNormEpsilon()).isEqualTo(1e-5);
    assertThat(config.pretrainedWindowSizes()).containsExactly(0, 0, 0, 0);
  }

  @Test
  void clampsWindowsToSmallStagesAndStopsShiftingThere() throws IOException {
    SwinV2Config config = SwinV2Config.fromHuggingFace(fixtureConfig("swinv2-mini-96-window6"));

    assertThat(config.stage(0).window()).isEqualTo(6);
    assertThat(config.stage(0).shift(1)).isEqualTo(3);
    assertThat(config.stage(2).resolution()).isEqualTo(6);
    assertThat(config.stage(2).shift(1)).as("resolution = window: no shift").isZero();
    assertThat(config.stage(3).window()).as("odd resolution 3 clamps the window").isEqualTo(3);
    assertThat(config.stage(3).coordinateNormaliser()).isEqualTo(2);
  }

  @Test
  void roundTripsThroughHuggingFaceJson() throws IOException {
    SwinV2Config config = SwinV2Config.fromHuggingFace(fixtureConfig("swinv2-mini-window4to3"));

    assertThat(SwinV2Config.fromHuggingFace(config.toHuggingFace())).isEqualTo(config);
  }

  @Test
  void refusesConfigsThatCannotBeBuilt() throws IOException {
    ObjectNode heads = fixtureConfig("swinv2-mini-window4");
    heads.putArray("num_heads").add(3).add(3).add(6);
    assertThatThrownBy(() -> SwinV2Config.fromHuggingFace(heads))
        .hasMessageContaining("same number of stages");

    ObjectNode patch = fixtureConfig("swinv2-mini-window4");
    patch.put("image_size", 66);
    assertThatThrownBy(() -> SwinV2Config.fromHuggingFace(patch))
        .hasMessageContaining("not a multiple of patch_size");

    ObjectNode window = fixtureConfig("swinv2-mini-window4");
    window.put("window_size", 5);
    assertThatThrownBy(() -> SwinV2Config.fromHuggingFace(window))
        .hasMessageContaining("do not tile");

    ObjectNode labels = fixtureConfig("swinv2-mini-window4");
    labels.remove("id2label");
    assertThatThrownBy(() -> SwinV2Config.fromHuggingFace(labels)).hasMessageContaining("id2label");

    JsonNode swin = fixtureConfig("swinv2-mini-window4").put("model_type", "swin");
    assertThatThrownBy(() -> SwinV2Config.fromHuggingFace(swin)).hasMessageContaining("model_type");
  }
}
