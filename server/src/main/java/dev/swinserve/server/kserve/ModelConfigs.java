package dev.swinserve.server.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.swinserve.api.kserve.DataType;
import dev.swinserve.api.kserve.ModelConfig;
import dev.swinserve.api.kserve.ModelDynamicBatching;
import dev.swinserve.api.kserve.ModelInput;
import dev.swinserve.api.kserve.ModelOutput;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.scheduling.BatchedModel;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A model version described in Triton's model configuration, as {@code ModelConfig} and {@code GET
 * .../config} answer: its tensors without the batch dimension (the batch is the first dimension of
 * every tensor, up to {@code max_batch_size}, the version's batching {@code max_batch_size}), and
 * dynamic batching when the scheduler batches it. Both inputs are optional: an inference request
 * carries exactly one of them, encoded {@code images} or decoded {@code pixels}.
 */
final class ModelConfigs {

  /** The backend of a TensorFlow SavedModel in Triton's list of backends. */
  static final String BACKEND = "tensorflow";

  /** Triton's field names, and its defaults written out, as its HTTP server answers. */
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields();

  /** The 64-bit fields protobuf's JSON writes as strings; Triton's HTTP server writes numbers. */
  private static final List<String> INT64_FIELDS = List.of("dims", "max_queue_delay_microseconds");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelConfigs() {}

  /** {@code model}'s configuration under {@code name} (the model's, or its endpoint's). */
  static ModelConfig of(String name, ClassificationModel model) {
    BatchingConfig batching = BatchedModel.of(model);
    long classes = model.labels().size();
    ModelConfig.Builder config =
        ModelConfig.newBuilder()
            .setName(name)
            .setPlatform(ModelLookup.PLATFORM)
            .setBackend(BACKEND)
            .setMaxBatchSize(batching.maxBatchSize())
            // One encoded image per batch element, as Triton writes a string per element.
            .addInput(input(InferInputs.IMAGES, DataType.TYPE_STRING, 1))
            .addInput(
                input(InferInputs.PIXELS, DataType.TYPE_FP32, model.height(), model.width(), 3))
            .addOutput(output(InferCall.LOGITS, classes))
            .addOutput(output(InferCall.PROBABILITIES, classes));
    if (batching.enabled()) {
      config.setDynamicBatching(
          ModelDynamicBatching.newBuilder()
              .addAllPreferredBatchSize(batching.allowedBatchSizes())
              .setMaxQueueDelayMicroseconds(batching.maxQueueDelay().toNanos() / 1000));
    }
    return config.build();
  }

  /**
   * {@code config} as Triton's HTTP server writes it: the configuration itself at the top level,
   * snake_case names, defaults included, 64-bit integers as numbers.
   */
  static JsonNode json(ModelConfig config) {
    try {
      JsonNode json = JSON.readTree(PRINTER.print(config));
      int64AsNumbers(json);
      return json;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a model configuration has no JSON form", e);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void int64AsNumbers(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : INT64_FIELDS) {
        JsonNode value = object.get(field);
        if (value != null && value.isTextual()) {
          object.put(field, Long.parseLong(value.asText()));
        } else if (value instanceof ArrayNode array) {
          for (int i = 0; i < array.size(); i++) {
            if (array.get(i).isTextual()) {
              array.set(i, JSON.getNodeFactory().numberNode(Long.parseLong(array.get(i).asText())));
            }
          }
        }
      }
      object.elements().forEachRemaining(ModelConfigs::int64AsNumbers);
    } else if (node instanceof ArrayNode array) {
      array.elements().forEachRemaining(ModelConfigs::int64AsNumbers);
    }
  }

  private static ModelInput input(String name, DataType type, long... dims) {
    ModelInput.Builder input =
        ModelInput.newBuilder().setName(name).setDataType(type).setOptional(true);
    for (long size : dims) {
      input.addDims(size);
    }
    return input.build();
  }

  private static ModelOutput output(String name, long classes) {
    return ModelOutput.newBuilder()
        .setName(name)
        .setDataType(DataType.TYPE_FP32)
        .addDims(classes)
        .build();
  }
}
