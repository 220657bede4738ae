package dev.swinserve.format.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingSettingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  @TempDir Path temp;

  @Test
  void readsLegacyFeatureExtractorConfigOfTheFixtures() throws IOException {
    JsonNode config =
        JSON.readTree(
            Fixtures.checkpoint("swinv2-mini-96-window6")
                .resolve("preprocessor_config.json")
                .toFile());

    PreprocessingSettings settings = PreprocessingSettings.fromPreprocessorConfig(config);

    // No do_rescale key in the legacy form: Hugging Face rescales by 1/255 all the same.
    assertThat(settings)
        .isEqualTo(
            new PreprocessingSettings(
                96, 96, 3, true, 1.0 / 255, true, IMAGENET_MEAN, IMAGENET_STD));
  }

  @Test
  void readsNewerImageProcessorConfig() throws IOException {
    JsonNode config =
        JSON.readTree(
            """
        {"do_normalize": true, "do_rescale": true, "do_resize": true,
         "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "ViTImageProcessor",
         "image_std": [0.5, 0.25, 0.125], "resample": 2, "rescale_factor": 0.00392156862745098,
         "size": {"height": 192, "width": 256}}""");

    PreprocessingSettings settings = PreprocessingSettings.fromPreprocessorConfig(config);

    assertThat(settings.height()).isEqualTo(192);
    assertThat(settings.width()).isEqualTo(256);
    assertThat(settings.resample()).isEqualTo(PreprocessingSettings.BILINEAR);
    assertThat(settings.rescaleFactor()).isEqualTo(0.00392156862745098);
    assertThat(settings.std()).containsExactly(0.5f, 0.25f, 0.125f);
  }

  @Test
  void defaultsRescaleAndNormaliseLikeHuggingFace() throws IOException {
    PreprocessingSettings settings =
        PreprocessingSettings.fromPreprocessorConfig(
            JSON.readTree(
                "{\"size\": 224, \"resample\": 3, \"image_mean\": 0.5, \"image_std\": 0.5}"));

    assertThat(settings.doRescale()).isTrue();
    assertThat(settings.rescaleFactor()).isEqualTo(PreprocessingSettings.DEFAULT_RESCALE_FACTOR);
    assertThat(settings.doNormalize()).isTrue();
    assertThat(settings.mean()).containsExactly(0.5f, 0.5f, 0.5f);
  }

  @Test
  void withoutNormalisingNeedsNoMeanOrStd() throws IOException {
    PreprocessingSettings settings =
        PreprocessingSettings.fromPreprocessorConfig(
            JSON.readTree(
                "{\"size\": 64, \"resample\": 3, \"do_normalize\": false, \"do_rescale\": false}"));

    assertThat(settings.doNormalize()).isFalse();
    assertThat(settings.doRescale()).isFalse();
    assertThat(settings.mean()).containsExactly(0f, 0f, 0f);
    assertThat(settings.std()).containsExactly(1f, 1f, 1f);
  }

  @Test
  void namesTheKeyThatIsMissingOrInvalid() throws IOException {
    ObjectNode valid =
        (ObjectNode)
            JSON.readTree(
                """
        {"size": 64, "resample": 3, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""");

    assertRefused(valid.deepCopy().without("size"), "'size' is missing");
    assertRefused(valid.deepCopy().put("size", -3), "'size'");
    assertRefused(
        valid.deepCopy().set("size", JSON.readTree("{\"shortest_edge\": 224}")), "'size'");
    assertRefused(
        valid.deepCopy().set("size", JSON.readTree("{\"height\": 0, \"width\": 8}")),
        "'size.height'");
    assertRefused(valid.deepCopy().without("resample"), "'resample' is missing");
    assertRefused(valid.deepCopy().put("resample", 1), "'resample' is 1 (lanczos), not supported");
    assertRefused(valid.deepCopy().set("image_mean", JSON.readTree("[0.5, 0.5]")), "'image_mean'");
    assertRefused(valid.deepCopy().set("image_std", JSON.readTree("[0.5, 0, 0.5]")), "'image_std'");
    assertRefused(valid.deepCopy().put("rescale_factor", "1/255"), "'rescale_factor'");
    assertRefused(valid.deepCopy().put("do_rescale", "yes"), "'do_rescale'");
    assertRefused(valid.deepCopy().put("do_center_crop", true), "'do_center_crop'");
    assertRefused(valid.deepCopy().put("do_resize", false), "'do_resize'");
  }

  @Test
  void assetJsonRoundTrips() throws IOException {
    PreprocessingSettings settings =
        new PreprocessingSettings(192, 256, 2, true, 1.0 / 255, true, IMAGENET_MEAN, IMAGENET_STD);
    Path file = temp.resolve("preprocessing.json");

    settings.write(file);

    assertThat(PreprocessingSettings.read(file)).isEqualTo(settings);
    assertThat(PreprocessingSettings.fromJson(settings.toJson())).isEqualTo(settings);
  }

  @Test
  void assetJsonUsesSnakeCaseKeys() throws IOException {
    JsonNode json =
        JSON.readTree(
            new PreprocessingSettings(64, 96, 3, false, 0.5, true, IMAGENET_MEAN, IMAGENET_STD)
                .toJson());

    assertThat(json.get("image_size").get("height").intValue()).isEqualTo(64);
    assertThat(json.get("image_size").get("width").intValue()).isEqualTo(96);
    assertThat(json.get("resample").intValue()).isEqualTo(3);
    assertThat(json.get("do_rescale").booleanValue()).isFalse();
    assertThat(json.get("rescale_factor").doubleValue()).isEqualTo(0.5);
    assertThat(json.get("do_normalize").booleanValue()).isTrue();
    assertThat(json.get("image_mean").toString()).isEqualTo("[0.485,0.456,0.406]");
    assertThat(json.get("image_std").toString()).isEqualTo("[0.229,0.224,0.225]");
  }

  @Test
  void assetJsonRequiresEveryKey() {
    String json =
        new PreprocessingSettings(64, 64, 3, true, 1.0 / 255, true, IMAGENET_MEAN, IMAGENET_STD)
            .toJson()
            .replaceAll("\"do_normalize\" : true,", "");

    assertThatThrownBy(() -> PreprocessingSettings.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'do_normalize' is missing");
  }

  @Test
  void assetJsonRefusesUnknownAndDuplicateKeysAndWrongTypesNamingKeyAndLine() {
    String json =
        new PreprocessingSettings(64, 64, 3, true, 1.0 / 255, true, IMAGENET_MEAN, IMAGENET_STD)
            .toJson();

    assertThatThrownBy(
            () -> PreprocessingSettings.fromJson(json.replace("\"resample\"", "\"resampling\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("assets/preprocessing.json: 'resampling' is an unknown key");
    assertThatThrownBy(
            () ->
                PreprocessingSettings.fromJson(
                    json.replace(
                        "\"do_rescale\" : true,",
                        "\"do_rescale\" : true,\n  \"do_rescale\" : false,")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate field 'do_rescale'");
    assertThatThrownBy(
            () ->
                PreprocessingSettings.fromJson(
                    json.replace("\"resample\" : 3", "\"resample\" : \"3\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'resample' must be an integer")
        .hasMessageContaining("(line ");
    assertThatThrownBy(
            () ->
                PreprocessingSettings.fromJson(
                    json.replace("\"resample\" : 3", "\"resample\" : 0")))
        .hasMessageContaining("'resample' is 0 (nearest), not supported");
  }

  @Test
  void isImmutable() {
    float[] mean = IMAGENET_MEAN.clone();
    PreprocessingSettings settings =
        new PreprocessingSettings(64, 64, 3, true, 1.0 / 255, true, mean, IMAGENET_STD);

    mean[0] = 42;
    settings.mean()[1] = 42;

    assertThat(settings.mean()).containsExactly(IMAGENET_MEAN);
  }

  @Test
  void refusesUnsupportedResampleOnConstruction() {
    assertThatThrownBy(
            () ->
                new PreprocessingSettings(
                    64, 64, 0, true, 1.0 / 255, true, IMAGENET_MEAN, IMAGENET_STD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resample 0 (nearest) is not supported");
  }

  private static void assertRefused(JsonNode config, String message) {
    assertThatThrownBy(() -> PreprocessingSettings.fromPreprocessorConfig(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("preprocessor_config.json")
        .hasMessageContaining(message);
  }
}
