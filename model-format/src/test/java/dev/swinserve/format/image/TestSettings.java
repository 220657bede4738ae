package dev.swinserve.format.image;

import dev.swinserve.format.metadata.PreprocessingSettings;

/** The settings of the fixture checkpoints: bicubic, 1/255, ImageNet mean and std. */
final class TestSettings {

  private TestSettings() {}

  static PreprocessingSettings imagenet(int size) {
    return new PreprocessingSettings(
        size,
        size,
        PreprocessingSettings.BICUBIC,
        true,
        PreprocessingSettings.DEFAULT_RESCALE_FACTOR,
        true,
        new float[] {0.485f, 0.456f, 0.406f},
        new float[] {0.229f, 0.224f, 0.225f});
  }
}
