package dev.swinserve.converter.export;

import dev.swinserve.converter.swinv2.SwinV2Config;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.tensor.FloatTensor;
import java.util.Map;

/**
 * Everything one exported model version is made of.
 *
 * @param weights Hugging Face parameters by key, checked against the config before export
 * @param weightsSource names the weights in error messages (a file, or "demo weights")
 */
public record ModelExport(
    SwinV2Config config,
    Map<String, FloatTensor> weights,
    String weightsSource,
    PreprocessingSettings preprocessing,
    ModelMetadata metadata) {}
