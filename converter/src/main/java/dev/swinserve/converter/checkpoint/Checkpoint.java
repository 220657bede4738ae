package dev.swinserve.converter.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swinserve.format.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded Hugging Face checkpoint folder. The maps and lists are unmodifiable; the JSON trees and
 * tensors are shared, so callers must not modify them.
 *
 * @param directory the folder it was loaded from
 * @param config {@code config.json}, a JSON object
 * @param preprocessorConfig {@code preprocessor_config.json}, a JSON object
 * @param weightsFile the file the weights came from: {@code model.safetensors} or {@code
 *     pytorch_model.bin}
 * @param weights the parameters as float32, in file order, without the buffers the model builder
 *     computes itself
 * @param droppedBuffers the keys of the computed buffers the weights file held, which were left out
 */
public record Checkpoint(
    Path directory,
    JsonNode config,
    JsonNode preprocessorConfig,
    Path weightsFile,
    Map<String, FloatTensor> weights,
    List<String> droppedBuffers) {

  public Checkpoint {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    droppedBuffers = List.copyOf(droppedBuffers);
  }
}
