package dev.swinserve.converter.swinv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SwinV2PresetsTest {

  @Test
  void namesTheTwelvePublishedCheckpoints() {
    assertThat(SwinV2Presets.names())
        .hasSize(12)
        .contains(
            "swinv2-tiny-patch4-window8-256",
            "swinv2-small-patch4-window16-256",
            "swinv2-base-patch4-window12-192-22k",
            "swinv2-large-patch4-window12to16-192to256-22kto1k-ft",
            "swinv2-large-patch4-window12to24-192to384-22kto1k-ft");
  }

  @Test
  void parameterCountsMatchThePaper() {
    // SwinV2 paper / model cards: T 28M, S 50M, B 88M, L 197M parameters (ImageNet-1k heads).
    assertThat(millions("swinv2-tiny-patch4-window8-256")).isCloseTo(28.3, within(0.5));
    assertThat(millions("swinv2-small-patch4-window8-256")).isCloseTo(49.7, within(0.8));
    assertThat(millions("swinv2-base-patch4-window8-256")).isCloseTo(87.9, within(1.0));
    assertThat(millions("swinv2-large-patch4-window12to16-192to256-22kto1k-ft"))
        .isCloseTo(196.7, within(2.0));
  }

  @Test
  void tinyCostsFivePointNineGigaMultiplyAdds() {
    // The figure for SwinV2-T, window 8, 256x256.
    double gigaMultiplyAdds =
        SwinV2Cost.multiplyAdds(SwinV2Presets.get("swinv2-tiny-patch4-window8-256")) / 1e9;
    assertThat(gigaMultiplyAdds).isCloseTo(5.9, within(0.05));
  }

  @Test
  void unknownPresetListsTheKnownOnes() {
    assertThatThrownBy(() -> SwinV2Presets.get("swinv2-huge"))
        .hasMessageContaining("swinv2-huge")
        .hasMessageContaining("swinv2-tiny-patch4-window8-256");
  }

  @Test
  void demoWeightsAreSeededAndShapedLikeTheLayout() {
    SwinV2Config config = SwinV2Presets.get("swinv2-tiny-patch4-window8-256");
    var first = DemoWeights.generate(config, 7);
    var again = DemoWeights.generate(config, 7);
    var other = DemoWeights.generate(config, 8);
    String key = "swinv2.encoder.layers.2.blocks.3.attention.self.query.weight";

    ParameterLayout.of(config).check(first, "demo weights");
    assertThat(again.get(key)).isEqualTo(first.get(key));
    assertThat(other.get(key)).isNotEqualTo(first.get(key));
  }

  private static double millions(String preset) {
    return ParameterLayout.of(SwinV2Presets.get(preset)).parameterCount() / 1e6;
  }
}
