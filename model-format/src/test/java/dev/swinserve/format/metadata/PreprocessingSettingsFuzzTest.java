package dev.swinserve.format.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the two readers of preprocessing settings: Hugging Face's {@code preprocessor_config.json}
 * ({@link PreprocessingSettings#fromPreprocessorConfig}) and the project's own asset file ({@link
 * PreprocessingSettings#fromJson}). Their documented failure is {@link IllegalArgumentException}
 * naming the key; anything else escaping is a finding. Seeds and past findings: {@code
 * PreprocessingSettingsFuzzTestInputs/<method>} under test resources.
 */
class PreprocessingSettingsFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest
  void preprocessorConfig(byte[] contents) {
    JsonNode config;
    try {
      config = JSON.readTree(contents);
    } catch (IOException notJson) {
      // Jackson's own refusal (bad JSON, or bytes in no Unicode encoding): the checkpoint loader
      // turns any IOException into a CheckpointException; the reader only ever sees parsed trees.
      return;
    }
    if (config == null) {
      return;
    }
    try {
      PreprocessingSettings.fromPreprocessorConfig(config);
    } catch (IllegalArgumentException refused) {
      // documented: names the key that is missing, invalid or unsupported
    }
  }

  @FuzzTest
  void assetJson(byte[] contents) {
    try {
      PreprocessingSettings settings =
          PreprocessingSettings.fromJson(new String(contents, StandardCharsets.UTF_8));
      // What was read writes back to the same settings.
      assertThat(PreprocessingSettings.fromJson(settings.toJson())).isEqualTo(settings);
    } catch (IllegalArgumentException refused) {
      // documented: names the key that is missing or invalid, or says the JSON does not parse
    }
  }
}
