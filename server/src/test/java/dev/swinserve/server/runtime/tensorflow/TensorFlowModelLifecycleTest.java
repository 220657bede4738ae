package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionPolicy;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm-up, thread settings and close, each on a version loaded for the test. */
class TensorFlowModelLifecycleTest {

  private static final ModelVersionId ID = new ModelVersionId(TestModels.MINI, 1);

  @TempDir static Path repository;
  private static Path version;
  private static Map<String, FloatTensor> reference;

  @BeforeAll
  static void export() {
    version = TestModels.export(repository, TestModels.MINI);
    reference = TestModels.reference(TestModels.MINI);
  }

  private static ClassificationModel load(RuntimeConfig defaults, String runtimeYaml)
      throws IOException {
    ModelConfig config =
        new ModelConfig(
            VersionPolicy.latest(1),
            Map.of(),
            ConfigTree.parse(runtimeYaml, version.getParent().resolve("model.yaml").toString()));
    return new TensorFlowModelLoader(defaults).load(ID, version, config);
  }

  @Test
  void severalInstancesServeConcurrentCallsWithTheSameResults() throws Exception {
    float[] pixels = reference.get("pixel_values").data();
    int length = 64 * 64 * 3;
    float[] first = java.util.Arrays.copyOf(pixels, length);
    float[] expected = java.util.Arrays.copyOf(reference.get("logits").data(), 10);
    try (ClassificationModel model = load(RuntimeConfig.defaults(), "instances: 2")) {
      model.warmUp();
      var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        var calls = new java.util.ArrayList<java.util.concurrent.Future<float[][]>>();
        for (int i = 0; i < 8; i++) {
          calls.add(pool.submit(() -> model.logits(first, 1)));
        }
        for (var call : calls) {
          assertThat(TestModels.relativeError(call.get()[0], expected)).isLessThanOrEqualTo(1e-4);
        }
      } finally {
        pool.shutdown();
      }
      assertThat(model.runtime().instances()).isEqualTo(2);
    }
  }

  @Test
  void warmUpRunsEveryConfiguredBatchSizeAndThePreprocessor() throws IOException {
    try (ClassificationModel model = load(new RuntimeConfig(0, 0, List.of(1, 4)), "{}")) {
      assertThatCode(model::warmUp).doesNotThrowAnyException();
      assertThat(model.logits(new float[4 * model.inputLength()], 4)).hasDimensions(4, 10);
    }
  }

  @Test
  void aModelYamlWarmUpBatchSizeOutOfRangeFailsTheLoadNamingFileKeyAndRange() {
    assertThatThrownBy(
            () -> load(new RuntimeConfig(0, 0, List.of(1)), "warm_up_batch_sizes: [1, 200000]"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model.yaml")
        .hasMessageContaining("'warm_up_batch_sizes' must be in 1..1024, got 200000");
  }

  @Test
  void runsWithOneThreadPerPool() throws Exception {
    FloatTensor pixels = reference.get("pixel_values");
    try (ClassificationModel model =
        load(
            RuntimeConfig.defaults(),
            """
        intra_op_threads: 1
        inter_op_threads: 1
        """)) {
      model.warmUp();
      float[][] logits = model.logits(pixels.data(), 3);

      assertThat(
              TestModels.relativeError(TestModels.flatten(logits), reference.get("logits").data()))
          .isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void aVersionGetsThePoolsItsModelYamlAsksForUntilClosed() throws Exception {
    assertThat(System.getenv("TF_OVERRIDE_GLOBAL_THREADPOOL"))
        .as("set by surefire, as by the launcher")
        .isEqualTo("1");
    // The process-wide pools start with the first load: not counted.
    threadsAddedBy("{intra_op_threads: 1, inter_op_threads: 1}");

    long small = threadsAddedBy("{intra_op_threads: 1, inter_op_threads: 1}");
    long large = threadsAddedBy("{intra_op_threads: 4, inter_op_threads: 3}");

    // The versions differ only in their pools: intra-op 3 more, inter-op 2 more.
    assertThat(large - small).isEqualTo(5);
  }

  @Test
  void backgroundRunsComputeOnIdleThreadsOfTheirOwnUntilClosed() throws Exception {
    float[] pixels = reference.get("pixel_values").data();
    try (ClassificationModel first = load(RuntimeConfig.defaults(), "{}")) {
      first.logits(pixels, 1, RunPriority.BACKGROUND); // the background thread exists from now on
    }
    long before = NativeThreads.settledCount(BackgroundThread.NAME);
    try (ClassificationModel model =
        load(RuntimeConfig.defaults(), "{intra_op_threads: 2, inter_op_threads: 1}")) {
      model.warmUp();
      assertThat(NativeThreads.namedLike(BackgroundThread.NAME))
          .as("no background session before a background run")
          .hasSize((int) before);

      float[][] background = model.logits(pixels, 3, RunPriority.BACKGROUND);

      assertThat(
              TestModels.relativeError(
                  TestModels.flatten(background), reference.get("logits").data()))
          .isLessThanOrEqualTo(1e-4);
      List<Path> threads = NativeThreads.namedLike(BackgroundThread.NAME);
      assertThat(threads)
          .as("the background session's intra-op (2) and inter-op (1) threads")
          .hasSize((int) before + 3);
      for (Path thread : threads) {
        assertThat(IdleScheduling.policyOf(thread))
            .as("policy of %s", thread)
            .isEqualTo(IdleScheduling.SCHED_IDLE);
      }
      for (Path thread : NativeThreads.namedLike(NativeThreads.nameOfThisOne())) {
        assertThat(IdleScheduling.policyOf(thread)).as("policy of %s", thread).isZero();
      }
    }
    assertThat(NativeThreads.settledCount(BackgroundThread.NAME))
        .as("background threads after close")
        .isEqualTo(before);
  }

  /**
   * Loads a version with {@code runtimeYaml}, warms it up, closes it, and checks that its threads
   * end.
   */
  private static long threadsAddedBy(String runtimeYaml) throws Exception {
    long before = NativeThreads.settledCount();
    long added;
    try (ClassificationModel model = load(RuntimeConfig.defaults(), runtimeYaml)) {
      model.warmUp();
      added = NativeThreads.namedLikeThisOne() - before;
    }
    assertThat(NativeThreads.settledCount()).as("threads after close").isEqualTo(before);
    return added;
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailCleanly() throws IOException {
    ClassificationModel model = load(RuntimeConfig.defaults(), "{}");
    float[] pixels = new float[model.inputLength()];
    byte[] image = Files.readAllBytes(Fixtures.image("chelsea.png"));
    model.close();

    assertThatCode(model::close).doesNotThrowAnyException();
    assertThatThrownBy(() -> model.logits(pixels, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(ID + " is closed");
    assertThatThrownBy(() -> model.preprocess(image, pixels, 0))
        .isInstanceOf(IllegalStateException.class);
    assertThat(model.labels()).as("plain data stays readable").hasSize(10);
  }

  @Test
  void guiceBuildsTheLoaderFromTheBoundDefaults() throws Exception {
    TensorFlowModelLoader loader =
        Guice.createInjector(
                binder -> {
                  binder
                      .bind(RuntimeConfig.class)
                      .toInstance(new RuntimeConfig(0, 0, List.of(1, 3)));
                  binder.bind(BatchingConfig.class).toInstance(BatchingConfig.defaults());
                })
            .getInstance(TensorFlowModelLoader.class);

    try (ClassificationModel model = loader.load(ID, version, ModelConfig.defaults())) {
      assertThat(model.labels()).hasSize(10);
      assertThatCode(model::warmUp).doesNotThrowAnyException();
      assertThat(model.logits(new float[3 * model.inputLength()], 3)).hasDimensions(3, 10);
    }
  }
}
