package dev.swinserve.server.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.config.LimitsConfig;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.scheduling.BatchingConfig;
import dev.swinserve.server.scheduling.InferenceScheduler;
import dev.swinserve.server.scheduling.SchedulingConfig;
import dev.swinserve.server.testing.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request that could never be queued whole for its model, however idle, is the caller's to fix
 * (INVALID_ARGUMENT), not an overload to retry.
 */
class RequestFitTest {

  /** Batches of one image, at most two waiting. */
  private final ScriptedModel model =
      new ScriptedModel(
          new ModelVersionId("m", 1),
          new BatchingConfig(1, List.of(1), Duration.ZERO, 2, 1),
          (pixels, batch) -> new float[batch][2]);

  private final InferenceScheduler direct =
      new InferenceScheduler() {
        @Override
        public CompletableFuture<float[][]> submit(
            ClassificationModel model,
            float[] pixels,
            int images,
            OptionalLong deadlineNanoTime,
            RunPriority priority) {
          return CompletableFuture.completedFuture(model.logits(pixels, images));
        }

        @Override
        public void close() {}
      };

  private final ServerMetrics metrics = new ServerMetrics();
  private final Router router = new Router((name, version) -> model.handle(), () -> 0.5);
  private final ServerThreads threads = new ServerThreads();
  private final ShadowRunner shadows = new ShadowRunner(router, direct, metrics, threads);
  private final ClassificationService service =
      new ClassificationService(
          router,
          direct,
          threads,
          new SchedulingConfig(1, 16),
          shadows,
          metrics,
          LimitsConfig.defaults());

  @AfterEach
  void close() {
    shadows.close();
    threads.close();
  }

  @Test
  void moreBatchesThanTheModelsQueueHoldsIsInvalidInput() throws Exception {
    assertThat(service.classify(request(2)).get(5, TimeUnit.SECONDS).images()).hasSize(2);

    Assertions.assertThatThrownBy(() -> service.classify(request(3)).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("batching.max_queue_size 2")
        .hasMessageContaining("at most 2 images");
  }

  private static ClassificationRequest request(int images) {
    List<ImageInput> inputs = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      inputs.add(new ImageInput.Pixels(1, 1, 3, new float[] {1, 0, 0}));
    }
    return new ClassificationRequest(
        "m", VersionSelector.defaultVersion(), inputs, 1, false, OptionalLong.empty());
  }
}
