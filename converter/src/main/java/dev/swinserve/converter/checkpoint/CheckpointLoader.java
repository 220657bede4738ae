package dev.swinserve.converter.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.tensor.TensorFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a Hugging Face checkpoint folder: {@code config.json}, {@code preprocessor_config.json} and
 * the weights, from {@code model.safetensors} if the folder has it, else from {@code
 * pytorch_model.bin}. Buffers that SwinV2 computes from its config ({@code relative_coords_table},
 * {@code relative_position_index}, {@code attn_mask}) are dropped without being read: older hub
 * checkpoints saved them, some as int64, and the model builder recomputes them anyway.
 *
 * <p>Stateless and thread-safe.
 */
public final class CheckpointLoader {

  static final String CONFIG = "config.json";
  static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  static final String SAFETENSORS_WEIGHTS = "model.safetensors";
  static final String PYTORCH_WEIGHTS = "pytorch_model.bin";

  private static final Set<String> COMPUTED_BUFFERS =
      Set.of("relative_coords_table", "relative_position_index", "attn_mask");

  private final ObjectMapper json = new ObjectMapper();

  /**
   * Loads {@code directory}.
   *
   * @throws CheckpointException if the folder, a config file or any weights file is missing, or a
   *     config is not a JSON object; the message names the file
   * @throws TensorFormatException if the weights file cannot be read; the message names the file
   *     and the tensor
   */
  public Checkpoint load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new CheckpointException(directory + ": not a checkpoint folder (no such directory)");
    }
    JsonNode config = readJson(directory.resolve(CONFIG));
    JsonNode preprocessorConfig = readJson(directory.resolve(PREPROCESSOR_CONFIG));
    Path weightsFile = weightsFile(directory);
    List<String> dropped = new ArrayList<>();
    Map<String, FloatTensor> weights =
        weightsFile.getFileName().toString().equals(PYTORCH_WEIGHTS)
            ? PyTorchCheckpointReader.readAll(weightsFile, key -> keep(key, dropped))
            : readSafetensors(weightsFile, dropped);
    return new Checkpoint(directory, config, preprocessorConfig, weightsFile, weights, dropped);
  }

  /** Whether {@code key} names a parameter rather than a buffer the model builder computes. */
  static boolean isComputedBuffer(String key) {
    return COMPUTED_BUFFERS.contains(key.substring(key.lastIndexOf('.') + 1));
  }

  private static boolean keep(String key, List<String> dropped) {
    if (isComputedBuffer(key)) {
      dropped.add(key);
      return false;
    }
    return true;
  }

  private static Map<String, FloatTensor> readSafetensors(Path file, List<String> dropped) {
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      Map<String, FloatTensor> weights = new LinkedHashMap<>();
      for (String key : safetensors.entries().keySet()) {
        if (keep(key, dropped)) {
          weights.put(key, safetensors.read(key));
        }
      }
      return weights;
    }
  }

  private JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(
          file
              + ": missing; a Hugging Face checkpoint folder needs "
              + CONFIG
              + " and "
              + PREPROCESSOR_CONFIG);
    }
    JsonNode tree;
    try {
      tree = json.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new CheckpointException(
          file + ": not valid JSON: " + e.getOriginalMessage() + where, e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new CheckpointException(
          file
              + ": should hold a JSON object, holds "
              + (tree == null || tree.isMissingNode() ? "nothing" : tree.getNodeType()));
    }
    return tree;
  }

  private static Path weightsFile(Path directory) {
    for (String name : List.of(SAFETENSORS_WEIGHTS, PYTORCH_WEIGHTS)) {
      Path candidate = directory.resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new CheckpointException(
        directory
            + ": no weights: neither "
            + SAFETENSORS_WEIGHTS
            + " nor "
            + PYTORCH_WEIGHTS
            + " (sharded checkpoints are not supported); the folder holds "
            + contents(directory));
  }

  private static String contents(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      List<String> names = files.map(path -> path.getFileName().toString()).sorted().toList();
      return names.isEmpty() ? "nothing" : String.join(", ", names);
    } catch (IOException e) {
      return "(cannot list it: " + e.getMessage() + ")";
    }
  }
}
