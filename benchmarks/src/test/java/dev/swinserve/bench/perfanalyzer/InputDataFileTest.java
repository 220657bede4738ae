package dev.swinserve.bench.perfanalyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.bench.load.PixelValues;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputDataFileTest {

  @TempDir Path temp;

  @Test
  void theFileHoldsTheVeryTensorUnderTheInputsNameWithItsShape() throws IOException {
    float[] pixels = PixelValues.standardNormal(42, 8);
    Path file = temp.resolve("input.json");

    InputDataFile.write(file, "pixels", pixels, 8);

    JsonNode tensor = new ObjectMapper().readTree(file.toFile()).get("data").get(0).get("pixels");
    assertThat(tensor.get("shape")).extracting(JsonNode::asInt).containsExactly(8, 8, 3);
    float[] read = new float[tensor.get("content").size()];
    for (int i = 0; i < read.length; i++) {
      read[i] = (float) tensor.get("content").get(i).asDouble();
    }
    assertThat(read).as("text that reads back to the same floats").containsExactly(pixels);
  }

  @Test
  void valuesThatAreNoSquareImageAreRefused() {
    assertThatThrownBy(() -> InputDataFile.write(temp.resolve("x.json"), "pixels", new float[5], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 2, 3]");
  }
}
