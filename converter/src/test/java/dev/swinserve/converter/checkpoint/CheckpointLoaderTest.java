package dev.swinserve.converter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLoaderTest {

  private static final Path FIXTURE = Fixtures.checkpoint("swinv2-mini-window4");
  private static final String BLOCK = "swinv2.encoder.layers.0.blocks.0.attention.self.";

  private final CheckpointLoader loader = new CheckpointLoader();

  @TempDir Path temp;

  @Test
  void prefersSafetensorsAndReadsBothConfigs() {
    Checkpoint checkpoint = loader.load(FIXTURE);

    assertThat(checkpoint.directory()).isEqualTo(FIXTURE);
    assertThat(checkpoint.weightsFile()).isEqualTo(FIXTURE.resolve("model.safetensors"));
    assertThat(checkpoint.config().path("window_size").asInt()).isEqualTo(4);
    assertThat(checkpoint.config().path("id2label").size()).isEqualTo(10);
    assertThat(checkpoint.preprocessorConfig().has("image_mean")).isTrue();
    assertThat(checkpoint.weights()).containsKey(BLOCK + "query.weight");
    assertThat(checkpoint.droppedBuffers()).isEmpty();
  }

  @Test
  void fallsBackToPytorchModelBin() throws IOException {
    Path directory = copyFixture("config.json", "preprocessor_config.json", "pytorch_model.bin");

    Checkpoint checkpoint = loader.load(directory);

    assertThat(checkpoint.weightsFile()).isEqualTo(directory.resolve("pytorch_model.bin"));
    Map<String, FloatTensor> expected =
        SafetensorsFile.readAll(FIXTURE.resolve("model.safetensors"));
    assertThat(checkpoint.weights()).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void dropsComputedBuffersFromSafetensorsWithoutReadingThem() throws IOException {
    Path directory = copyFixture("config.json", "preprocessor_config.json");
    // int64, which the safetensors reader refuses: reading it would fail the load.
    new SafetensorsWriter()
        .floats(BLOCK + "logit_scale", new long[] {1}, 2.5f)
        .longs(BLOCK + "relative_position_index", new long[] {2}, 0, 1)
        .floats(BLOCK + "relative_coords_table", new long[] {1}, 0.5f)
        .floats("swinv2.encoder.layers.0.blocks.1.attn_mask", new long[] {1}, 0)
        .write(directory.resolve("model.safetensors"));

    Checkpoint checkpoint = loader.load(directory);

    assertThat(checkpoint.weights()).containsOnlyKeys(BLOCK + "logit_scale");
    assertThat(checkpoint.droppedBuffers())
        .containsExactly(
            BLOCK + "relative_position_index",
            BLOCK + "relative_coords_table",
            "swinv2.encoder.layers.0.blocks.1.attn_mask");
  }

  @Test
  void dropsComputedBuffersFromPytorchModelBin() throws IOException {
    Path directory = copyFixture("config.json", "preprocessor_config.json");
    new TorchCheckpointWriter()
        .tensor(
            BLOCK + "relative_position_index",
            "LongStorage",
            "0",
            1,
            0,
            new long[] {1},
            new long[] {1})
        .tensor(BLOCK + "logit_scale", "FloatStorage", "1", 1, 0, new long[] {1}, new long[] {1})
        .storage("0", new byte[8])
        .floatStorage("1", 2.5f)
        .write(directory.resolve("pytorch_model.bin"));

    Checkpoint checkpoint = loader.load(directory);

    assertThat(checkpoint.weights()).containsOnlyKeys(BLOCK + "logit_scale");
    assertThat(checkpoint.droppedBuffers()).containsExactly(BLOCK + "relative_position_index");
  }

  @Test
  void treatsOnlyWholeLastKeySegmentsAsBuffers() {
    assertThat(CheckpointLoader.isComputedBuffer("layers.0.attn_mask")).isTrue();
    assertThat(CheckpointLoader.isComputedBuffer("relative_position_index")).isTrue();
    assertThat(CheckpointLoader.isComputedBuffer("layers.0.relative_position_index.weight"))
        .isFalse();
    assertThat(CheckpointLoader.isComputedBuffer("layers.0.attn_mask_bias")).isFalse();
  }

  @Test
  void refusesAFolderWithoutConfigNamingTheFile() throws IOException {
    Path directory = copyFixture("preprocessor_config.json", "model.safetensors");

    assertThatThrownBy(() -> loader.load(directory))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(directory.resolve("config.json").toString())
        .hasMessageContaining("missing");
  }

  @Test
  void refusesAnInvalidPreprocessorConfigNamingTheFile() throws IOException {
    Path directory = copyFixture("config.json", "model.safetensors");
    Files.writeString(directory.resolve("preprocessor_config.json"), "{\"size\": 64,");

    assertThatThrownBy(() -> loader.load(directory))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(directory.resolve("preprocessor_config.json").toString())
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void refusesAConfigThatIsNotAnObject() throws IOException {
    Path directory = copyFixture("preprocessor_config.json", "model.safetensors");
    Files.writeString(directory.resolve("config.json"), "[1, 2]");

    assertThatThrownBy(() -> loader.load(directory))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("config.json: should hold a JSON object, holds ARRAY");
  }

  @Test
  void refusesAFolderWithoutWeightsListingWhatItHolds() throws IOException {
    Path directory = copyFixture("config.json", "preprocessor_config.json");
    Files.writeString(directory.resolve("tf_model.h5"), "");

    assertThatThrownBy(() -> loader.load(directory))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("neither model.safetensors nor pytorch_model.bin")
        .hasMessageContaining("config.json, preprocessor_config.json, tf_model.h5");
  }

  @Test
  void refusesAMissingFolder() {
    Path missing = temp.resolve("no-such-checkpoint");

    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(missing.toString());
  }

  private Path copyFixture(String... names) throws IOException {
    Path directory = Files.createDirectories(temp.resolve("checkpoint"));
    for (String name : names) {
      Files.copy(FIXTURE.resolve(name), directory.resolve(name));
    }
    return directory;
  }
}
