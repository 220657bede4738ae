package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.format.image.ImagePreprocessor;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One version of the mini fixture, loaded once and shared: the model is thread-safe. */
class TensorFlowModelLoaderTest {

  @TempDir static Path repository;
  private static Path version;
  private static ClassificationModel model;
  private static float[] pixels;

  @BeforeAll
  static void load() throws Exception {
    version = TestModels.export(repository, TestModels.MINI);
    model =
        new TensorFlowModelLoader(RuntimeConfig.defaults())
            .load(new ModelVersionId(TestModels.MINI, 1), version, ModelConfig.defaults());
    pixels = TestModels.reference(TestModels.MINI).get("pixel_values").data();
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void readsLabelsInputSizeAndMetadataFromTheAssets() throws IOException {
    JsonNode id2label =
        new ObjectMapper()
            .readTree(Fixtures.checkpoint(TestModels.MINI).resolve("config.json").toFile())
            .get("id2label");
    List<String> expectedLabels = new ArrayList<>();
    for (int index = 0; index < id2label.size(); index++) {
      expectedLabels.add(id2label.get(Integer.toString(index)).asText());
    }

    assertThat(model.id()).isEqualTo(new ModelVersionId(TestModels.MINI, 1));
    assertThat(model.labels()).hasSize(10).containsExactlyElementsOf(expectedLabels);
    assertThat(model.height()).isEqualTo(64);
    assertThat(model.width()).isEqualTo(64);
    assertThat(model.inputLength()).isEqualTo(64 * 64 * 3);
    assertThat(model.metadata().architecture()).isEqualTo("swinv2");
    assertThat(model.metadata().numClasses()).isEqualTo(10);
    assertThat(model.metadata().source()).isEqualTo("test:" + TestModels.MINI);
    assertThat(model.metadata().demoWeights()).isFalse();
  }

  @Test
  void aBatchOfThreeEqualsThreeSingleCalls() {
    float[][] batch = model.logits(pixels, 3);

    assertThat(batch).hasDimensions(3, 10);
    int length = model.inputLength();
    for (int image = 0; image < 3; image++) {
      float[] single =
          model.logits(Arrays.copyOfRange(pixels, image * length, (image + 1) * length), 1)[0];
      assertThat(batch[image])
          .as("image %d of the batch", image)
          .containsExactly(single, within(1e-5f));
    }
  }

  @Test
  void aBackgroundRunGivesTheSameLogitsAsANormalOne() {
    float[][] background = model.logits(pixels, 3, RunPriority.BACKGROUND);

    assertThat(background).isDeepEqualTo(model.logits(pixels, 3, RunPriority.NORMAL));
  }

  @Test
  void normalSessionsShareTheInterOpPoolUnlessTheVersionSizesItsOwn() {
    var shared =
        TensorFlowModelLoader.sessionConfig(RuntimeConfig.defaults())
            .getSessionInterOpThreadPoolList();
    var own =
        TensorFlowModelLoader.sessionConfig(new RuntimeConfig(0, 3, List.of(1)))
            .getSessionInterOpThreadPoolList();

    assertThat(shared)
        .singleElement()
        .satisfies(
            pool ->
                assertThat(pool.getGlobalName())
                    .as("inter_op_threads 0: the process's shared pool")
                    .isNotEmpty());
    assertThat(own)
        .singleElement()
        .satisfies(
            pool -> {
              assertThat(pool.getNumThreads()).isEqualTo(3);
              assertThat(pool.getGlobalName())
                  .as("inter_op_threads 3: the version's own pool")
                  .isEmpty();
            });
  }

  @Test
  void backgroundSessionsOwnAllTheirThreads() {
    var config = TensorFlowModelLoader.backgroundConfig(new RuntimeConfig(2, 3, List.of(1)));

    assertThat(config.getIntraOpParallelismThreads()).isEqualTo(2);
    assertThat(config.getSessionInterOpThreadPoolList())
        .singleElement()
        .satisfies(
            pool -> {
              assertThat(pool.getNumThreads()).isEqualTo(1);
              assertThat(pool.getGlobalName())
                  .as("a shared pool would be started by a thread of normal priority")
                  .isEmpty();
            });
  }

  @Test
  void readsOnlyTheBatchFromALargerBufferAndNeverWritesIt() {
    float[] buffer = Arrays.copyOf(pixels, pixels.length + model.inputLength());
    Arrays.fill(buffer, pixels.length, buffer.length, 1e6f);
    float[] before = buffer.clone();

    float[][] fromBuffer = model.logits(buffer, 3);

    assertThat(fromBuffer).isDeepEqualTo(model.logits(pixels, 3));
    assertThat(buffer).containsExactly(before);
  }

  @Test
  void rejectsBatchSizesThatDoNotFitThePixels() {
    assertThatThrownBy(() -> model.logits(pixels, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch size must be positive");
    assertThatThrownBy(() -> model.logits(pixels, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs " + 4 * model.inputLength() + " floats, got " + pixels.length);
    assertThatThrownBy(() -> model.logits(new float[model.inputLength() - 1], 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void preprocessesExactlyLikeTheImagePreprocessorAtTheGivenOffset() throws IOException {
    byte[] image = Files.readAllBytes(Fixtures.image("chelsea.png"));
    float[] expected;
    try (ImagePreprocessor reference =
        new ImagePreprocessor(
            PreprocessingSettings.read(version.resolve(PreprocessingSettings.ASSET_PATH)))) {
      expected = reference.preprocess(image).data();
    }
    int offset = 7;
    float[] destination = new float[offset + model.inputLength() + 5];

    model.preprocess(image, destination, offset);

    assertThat(Arrays.copyOfRange(destination, offset, offset + model.inputLength()))
        .containsExactly(expected);
    assertThat(Arrays.copyOfRange(destination, 0, offset)).containsOnly(0f);
    assertThat(Arrays.copyOfRange(destination, offset + model.inputLength(), destination.length))
        .containsOnly(0f);
  }

  @Test
  void refusesBytesThatAreNoImage() {
    float[] destination = new float[model.inputLength()];

    assertThatThrownBy(() -> model.preprocess(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, destination, 0))
        .isInstanceOf(ImageDecodeException.class);
    assertThat(destination).containsOnly(0f);
  }

  @Test
  void concurrentCallsGetTheSameLogitsAsOneCall() throws Exception {
    float[][] expected = model.logits(pixels, 3);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> calls = new ArrayList<>();
      for (int call = 0; call < 12; call++) {
        calls.add(threads.submit(() -> model.logits(pixels, 3)));
      }
      for (Future<float[][]> call : calls) {
        float[][] actual = call.get();
        for (int image = 0; image < 3; image++) {
          assertThat(actual[image]).containsExactly(expected[image], within(1e-5f));
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
