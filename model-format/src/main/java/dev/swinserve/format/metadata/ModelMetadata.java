package dev.swinserve.format.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What a served model directory says about itself, in {@code assets/model.json}: the architecture,
 * where the weights came from, and whether they are demo weights whose predictions mean nothing.
 *
 * @param architecture always {@code "swinv2"} for now
 * @param imageSize input side in pixels
 * @param numClasses length of {@code assets/labels.txt}
 * @param source where the weights came from: a checkpoint path, {@code hub:<repo>@<revision>} or
 *     {@code preset:<name>}
 * @param demoWeights true for seeded random weights
 * @param seed the seed of demo weights, null otherwise
 * @param note a human-readable warning or remark, may be null
 * @param config the Hugging Face {@code config.json} of the architecture
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("image_size") int imageSize,
    @JsonProperty("num_classes") int numClasses,
    @JsonProperty("source") String source,
    @JsonProperty("demo_weights") boolean demoWeights,
    @JsonProperty("seed") Long seed,
    @JsonProperty("note") String note,
    @JsonProperty("config") JsonNode config) {

  /** The file name inside a model version's {@code assets/} folder. */
  public static final String FILE_NAME = "model.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public void write(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static ModelMetadata read(Path file) {
    try {
      return JSON.readValue(file.toFile(), ModelMetadata.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read model metadata " + file + ": " + e.getMessage(), e);
    }
  }
}
