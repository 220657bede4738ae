package dev.swinserve.converter;

import dev.swinserve.converter.checkpoint.Checkpoint;
import dev.swinserve.converter.checkpoint.CheckpointLoader;
import dev.swinserve.converter.export.ModelExport;
import dev.swinserve.converter.swinv2.DemoWeights;
import dev.swinserve.converter.swinv2.SwinV2Config;
import dev.swinserve.converter.swinv2.SwinV2Presets;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import java.nio.file.Path;

/** Turns each kind of input the converter accepts into a {@link ModelExport}. */
public final class ModelSources {

  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private ModelSources() {}

  /**
   * A Hugging Face checkpoint folder.
   *
   * @param source how the metadata names where it came from, e.g. {@code hub:microsoft/x@main}
   */
  public static ModelExport fromCheckpoint(Path directory, String source) {
    Checkpoint checkpoint = new CheckpointLoader().load(directory);
    SwinV2Config config;
    PreprocessingSettings preprocessing;
    try {
      config = SwinV2Config.fromHuggingFace(checkpoint.config());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          directory.resolve("config.json") + ": " + e.getMessage(), e);
    }
    try {
      preprocessing = PreprocessingSettings.fromPreprocessorConfig(checkpoint.preprocessorConfig());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          directory.resolve("preprocessor_config.json") + ": " + e.getMessage(), e);
    }
    if (preprocessing.height() != config.imageSize()
        || preprocessing.width() != config.imageSize()) {
      throw new IllegalArgumentException(
          directory
              + ": preprocessor resizes to "
              + preprocessing.height()
              + "x"
              + preprocessing.width()
              + " but the model takes "
              + config.imageSize()
              + "x"
              + config.imageSize());
    }
    ModelMetadata metadata =
        new ModelMetadata(
            "swinv2",
            config.imageSize(),
            config.numClasses(),
            source,
            false,
            null,
            null,
            config.toHuggingFace());
    return new ModelExport(
        config, checkpoint.weights(), checkpoint.weightsFile().toString(), preprocessing, metadata);
  }

  /** Seeded demo weights of a published architecture; the metadata says they mean nothing. */
  public static ModelExport fromPreset(String preset, long seed) {
    SwinV2Config config = SwinV2Presets.get(preset);
    String note =
        "DEMO WEIGHTS: seeded random initialisation (seed "
            + seed
            + ") of the "
            + preset
            + " architecture. Predictions and labels mean nothing.";
    ModelMetadata metadata =
        new ModelMetadata(
            "swinv2",
            config.imageSize(),
            config.numClasses(),
            "preset:" + preset,
            true,
            seed,
            note,
            config.toHuggingFace());
    return new ModelExport(
        config,
        DemoWeights.generate(config, seed),
        "demo weights of " + preset,
        imagenetPreprocessing(config.imageSize()),
        metadata);
  }

  /** What every published SwinV2 checkpoint's image processor does at {@code size}. */
  public static PreprocessingSettings imagenetPreprocessing(int size) {
    return new PreprocessingSettings(
        size,
        size,
        PreprocessingSettings.BICUBIC,
        true,
        PreprocessingSettings.DEFAULT_RESCALE_FACTOR,
        true,
        IMAGENET_MEAN,
        IMAGENET_STD);
  }
}
