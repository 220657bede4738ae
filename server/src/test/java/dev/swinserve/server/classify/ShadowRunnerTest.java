package dev.swinserve.server.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.registry.ModelUnavailableException;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.config.LimitsConfig;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.Distribution;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.Endpoint;
import dev.swinserve.server.routing.ModelTarget;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.routing.RoutingTable;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.scheduling.InferenceScheduler;
import dev.swinserve.server.scheduling.SchedulingConfig;
import dev.swinserve.server.testing.LogCapture;
import dev.swinserve.server.testing.ScriptedModel;
import dev.swinserve.server.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A shadow that fails, blocks or disagrees never changes or delays the primary's result. */
class ShadowRunnerTest {

  private static final ModelVersionId PRIMARY = new ModelVersionId("primary", 1);

  /** Each run's model and priority, as {@code name@version:PRIORITY}. */
  private final List<String> runs = new CopyOnWriteArrayList<>();

  /**
   * Runs the model on the calling thread: the primary on the test's, a shadow on the shadow thread.
   */
  private final InferenceScheduler direct =
      new InferenceScheduler() {
        @Override
        public CompletableFuture<float[][]> submit(
            ClassificationModel model,
            float[] pixels,
            int images,
            OptionalLong deadlineNanoTime,
            RunPriority priority) {
          runs.add(model.id() + ":" + priority);
          try {
            return CompletableFuture.completedFuture(model.logits(pixels, images));
          } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
          }
        }

        @Override
        public void close() {}
      };

  private final ServerMetrics metrics = new ServerMetrics();
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  private ClassificationService service(
      ScriptedModel shadow, int maxInFlight, ShadowRunner[] runner) {
    return service(
        ScriptedModel.signOfFirstValue(PRIMARY), Map.of("shadow", shadow), maxInFlight, runner);
  }

  /**
   * A service with endpoint "classifier", whose one arm is {@code primary} (as model "primary") and
   * which copies every request to each of {@code shadows}, by name.
   */
  private ClassificationService service(
      ScriptedModel primary,
      Map<String, ? extends ScriptedModel> shadows,
      int maxInFlight,
      ShadowRunner[] runner) {
    Router router =
        new Router(
            (name, version) ->
                name.equals("primary") ? primary.handle() : shadows.get(name).handle(),
            new Random(1)::nextDouble);
    router.update(
        table ->
            RoutingTable.of(
                List.of(
                    new Endpoint(
                        "classifier",
                        List.of(
                            new Endpoint.Arm(
                                new ModelTarget("primary", VersionSelector.version(1)), 1)),
                        shadows.keySet().stream()
                            .map(
                                name ->
                                    new Endpoint.Shadow(
                                        new ModelTarget(name, VersionSelector.defaultVersion()),
                                        1.0))
                            .toList()))));
    ServerThreads threads = new ServerThreads();
    closeAfter.add(threads);
    runner[0] = new ShadowRunner(router, direct, metrics, threads, maxInFlight);
    closeAfter.add(runner[0]);
    ClassificationService service =
        new ClassificationService(
            router,
            direct,
            threads,
            new SchedulingConfig(1, 16),
            runner[0],
            metrics,
            LimitsConfig.defaults());
    return service;
  }

  private static ClassificationRequest request(float value) {
    return new ClassificationRequest(
        "classifier",
        VersionSelector.defaultVersion(),
        List.of(new ImageInput.Pixels(1, 1, 3, new float[] {value, 0, 0})),
        2,
        false,
        OptionalLong.empty());
  }

  private static void assertPrimaryAnswer(ClassificationResult result, int topClass) {
    assertThat(result.model()).isEqualTo(PRIMARY);
    assertThat(result.images())
        .singleElement()
        .satisfies(image -> assertThat(image.classes().get(0).index()).isEqualTo(topClass));
  }

  private Distribution.Snapshot series(String name, Map<String, String> labels) {
    return metrics.distributions(false).stream()
        .filter(entry -> entry.getKey().equals(new ServerMetrics.SeriesKey(name, labels)))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no series " + name + labels + " in " + metrics.distributions(false)));
  }

  @Test
  void aFailingShadowNeverChangesThePrimaryResult() throws Exception {
    ShadowRunner[] runner = new ShadowRunner[1];
    ClassificationService service =
        service(
            new ScriptedModel(
                new ModelVersionId("shadow", 1),
                (pixels, batch) -> {
                  throw new IllegalStateException("shadow model broke");
                }),
            8,
            runner);

    assertPrimaryAnswer(service.classify(request(2)).get(5, TimeUnit.SECONDS), 0);
    assertPrimaryAnswer(service.classify(request(-2)).get(5, TimeUnit.SECONDS), 1);

    assertThat(runner[0].awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(
            series(
                    "shadow_latency",
                    Map.of("endpoint", "classifier", "shadow", "shadow", "outcome", "error"))
                .count())
        .isEqualTo(2);
    assertThat(
            series(
                    "arm_latency",
                    Map.of("endpoint", "classifier", "arm", "primary@1", "outcome", "ok"))
                .count())
        .isEqualTo(2);
  }

  @Test
  void aBlockedShadowNeverDelaysThePrimaryAndExtraCopiesAreDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch shadowStarted = new CountDownLatch(1);
    ShadowRunner[] runner = new ShadowRunner[1];
    ClassificationService service =
        service(
            new ScriptedModel(
                new ModelVersionId("shadow", 1),
                (pixels, batch) -> {
                  shadowStarted.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return new float[][] {{pixels[0], -pixels[0]}};
                }),
            2,
            runner);

    assertPrimaryAnswer(service.classify(request(2)).get(5, TimeUnit.SECONDS), 0);
    assertThat(shadowStarted.await(5, TimeUnit.SECONDS)).isTrue();
    // The shadow holds its thread; the primary goes on answering, and at most 2 copies wait.
    for (int i = 0; i < 5; i++) {
      assertPrimaryAnswer(service.classify(request(3)).get(5, TimeUnit.SECONDS), 0);
    }
    assertThat(
            series("shadow_dropped", Map.of("endpoint", "classifier", "shadow", "shadow")).count())
        .isEqualTo(4);

    release.countDown();
    assertThat(runner[0].awaitIdle(Duration.ofSeconds(5))).isTrue();
    Distribution.Snapshot agreement =
        series("shadow_agreement", Map.of("endpoint", "classifier", "shadow", "shadow"));
    assertThat(agreement.count()).isEqualTo(2);
    assertThat(agreement.mean()).isEqualTo(1.0);
  }

  @Test
  void disagreementsAreCountedAndTheShadowResultIsNeverReturned() throws Exception {
    ShadowRunner[] runner = new ShadowRunner[1];
    ClassificationService service =
        service(
            new ScriptedModel(
                new ModelVersionId("shadow", 1),
                (pixels, batch) -> new float[][] {{-pixels[0], pixels[0]}}),
            8,
            runner);

    for (int i = 0; i < 4; i++) {
      assertPrimaryAnswer(service.classify(request(1)).get(5, TimeUnit.SECONDS), 0);
    }

    assertThat(runner[0].awaitIdle(Duration.ofSeconds(5))).isTrue();
    Distribution.Snapshot agreement =
        series("shadow_agreement", Map.of("endpoint", "classifier", "shadow", "shadow"));
    assertThat(agreement.count()).isEqualTo(4);
    assertThat(agreement.mean()).isEqualTo(0.0);
    assertThat(
            series(
                    "shadow_latency",
                    Map.of("endpoint", "classifier", "shadow", "shadow", "outcome", "ok"))
                .count())
        .isEqualTo(4);
    assertThat(runs)
        .as("shadow copies run in the background, primary calls at normal priority")
        .containsExactlyInAnyOrder(
            "primary@1:NORMAL",
            "primary@1:NORMAL",
            "primary@1:NORMAL",
            "primary@1:NORMAL",
            "shadow@1:BACKGROUND",
            "shadow@1:BACKGROUND",
            "shadow@1:BACKGROUND",
            "shadow@1:BACKGROUND");
  }

  @Test
  void aShadowThatFailsWithAnErrorIsLoggedAtErrorWithItsStack() throws Exception {
    assertShadowFailureLogged(
        (pixels, batch) -> {
          throw new OutOfMemoryError("shadow ran out of memory");
        },
        record -> {
          assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
          assertThat(record.getThrown()).isInstanceOf(OutOfMemoryError.class);
        });
  }

  @Test
  void aShadowThatIsNotServingIsOnlyCountedAndLoggedAtDebug() throws Exception {
    assertShadowFailureLogged(
        (pixels, batch) -> {
          throw new ModelUnavailableException("model 'shadow' version 1 is LOADING");
        },
        record -> assertThat(record.getLevel()).isEqualTo(Level.FINE));
  }

  /**
   * The primary answers while a shadow computing {@code logits} fails, and one record is logged, as
   * {@code logged} says.
   */
  private void assertShadowFailureLogged(
      BiFunction<float[], Integer, float[][]> logits, ThrowingConsumer<LogRecord> logged)
      throws Exception {
    ShadowRunner[] runner = new ShadowRunner[1];
    ClassificationService service =
        service(new ScriptedModel(new ModelVersionId("shadow", 1), logits), 8, runner);

    try (LogCapture log = LogCapture.of(ShadowRunner.class)) {
      assertPrimaryAnswer(service.classify(request(2)).get(5, TimeUnit.SECONDS), 0);
      assertThat(runner[0].awaitIdle(Duration.ofSeconds(5))).isTrue();

      assertThat(log.records()).singleElement().satisfies(logged);
    }
  }

  @Test
  void shadowsRunOnThePrimarysDecodedImagesAndDecodeOncePerOtherPreprocessing() throws Exception {
    DecodeCountingModel primary =
        new DecodeCountingModel("primary", DecodeCountingModel.settings(2, 0.5f));
    DecodeCountingModel twin =
        new DecodeCountingModel("twin", DecodeCountingModel.settings(2, 0.5f));
    DecodeCountingModel larger =
        new DecodeCountingModel("larger", DecodeCountingModel.settings(3, 0.5f));
    DecodeCountingModel largerTwin =
        new DecodeCountingModel("larger-twin", DecodeCountingModel.settings(3, 0.5f));
    DecodeCountingModel renormalised =
        new DecodeCountingModel("renormalised", DecodeCountingModel.settings(2, 0.25f));
    Map<String, DecodeCountingModel> shadows = new LinkedHashMap<>();
    for (DecodeCountingModel shadow : List.of(twin, larger, largerTwin, renormalised)) {
      shadows.put(shadow.id().name(), shadow);
    }
    ShadowRunner[] runner = new ShadowRunner[1];
    ClassificationService service = service(primary, shadows, 8, runner);
    byte[] small = TestImages.png(4, 4);
    byte[] large = TestImages.png(64, 64);
    assertThat(small.length).as("the images tell apart by length").isNotEqualTo(large.length);

    service
        .classify(
            new ClassificationRequest(
                "classifier",
                VersionSelector.defaultVersion(),
                List.of(new ImageInput.Encoded(small), new ImageInput.Encoded(large)),
                1,
                false,
                OptionalLong.empty()))
        .get(5, TimeUnit.SECONDS);
    assertThat(runner[0].awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(primary.decodes()).as("images the primary decoded").isEqualTo(2);
    assertThat(twin.decodes())
        .as("images decoded for a shadow that preprocesses like the primary")
        .isZero();
    assertThat(larger.decodes() + largerTwin.decodes())
        .as("images decoded for two shadows of another size")
        .isEqualTo(2);
    assertThat(renormalised.decodes())
        .as("images decoded for a shadow of the same size, normalised otherwise")
        .isEqualTo(2);
    for (DecodeCountingModel model : List.of(primary, twin, larger, largerTwin, renormalised)) {
      assertThat(model.inputs())
          .as("the inputs %s ran on", model.id())
          .containsExactly(model.expectedInput(small), model.expectedInput(large));
    }
  }
}
