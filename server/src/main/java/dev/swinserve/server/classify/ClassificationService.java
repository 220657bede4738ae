package dev.swinserve.server.classify;

import dev.swinserve.registry.ModelHandle;
import dev.swinserve.server.classify.ClassificationResult.ImageClassification;
import dev.swinserve.server.config.LimitsConfig;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.Distribution;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.ModelTarget;
import dev.swinserve.server.routing.Route;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.scheduling.InferenceScheduler;
import dev.swinserve.server.scheduling.SchedulingConfig;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A classification from request to result: check the request against the {@link LimitsConfig
 * limits} (before any image is decoded), route to a model version, decode and resize the images on
 * the preprocessing pool (in parallel, off the model's thread, each only while the call is still
 * wanted; see {@link ModelInputs} and {@link ImageDecoding}), hand the batch to the scheduler, turn
 * logits into top classes. Image decoding is recorded in {@code decode_time} (no labels; ms per
 * image). The model's handle is held until the result is complete, so a version retired meanwhile
 * finishes this call first.
 *
 * <p>A call through an endpoint is recorded per arm in {@code arm_latency} (labels endpoint, arm,
 * outcome ok|error; ms, from routing to result); once its result is complete, copies go to the
 * shadows the router chose, with the decoded images for them to reuse; they never delay or change
 * this result (see {@link ShadowRunner}).
 *
 * <p>Thread-safe and non-blocking: every call returns at once with a future.
 */
public final class ClassificationService {

  private static final System.Logger LOG = System.getLogger(ClassificationService.class.getName());

  private final Router router;
  private final InferenceScheduler scheduler;
  private final ExecutorService preprocessing;
  private final ShadowRunner shadows;
  private final ServerMetrics metrics;
  private final LimitsConfig limits;
  private final Distribution decodeTime;

  /**
   * @param threads makes the preprocessing pool ({@link SchedulingConfig} sizes it)
   */
  @Inject
  public ClassificationService(
      Router router,
      InferenceScheduler scheduler,
      ServerThreads threads,
      SchedulingConfig config,
      ShadowRunner shadows,
      ServerMetrics metrics,
      LimitsConfig limits) {
    this.router = router;
    this.limits = limits;
    this.scheduler = scheduler;
    this.shadows = shadows;
    this.metrics = metrics;
    this.decodeTime = metrics.distribution("decode_time", "ms", Map.of());
    this.preprocessing =
        threads.workers("preprocess", config.preprocessThreads(), config.preprocessQueueCapacity());
  }

  public CompletableFuture<ClassificationResult> classify(ClassificationRequest request) {
    long start = System.nanoTime();
    Route route;
    try {
      RequestLimits.check(request.images(), limits);
      request.requireLive("before routing");
      route = router.route(request.model(), request.version(), request.routingKey());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ModelHandle<ClassificationModel> handle = route.primary();
    try {
      ClassificationModel model = handle.servable();
      RequestLimits.checkFits(model, request.images().size());
      ModelInputs inputs = new ModelInputs(request);
      return inputs
          .decode(model, preprocessing, decodeTime)
          .thenCompose(
              pixels -> {
                request.requireLive("before queueing for the model");
                return scheduler.submit(
                    model, pixels, request.images().size(), request.deadlineNanoTime());
              })
          .thenApply(logits -> result(model, logits, request))
          .whenComplete(
              (result, error) -> {
                handle.close();
                afterPrimary(route, inputs, result, error, start);
              });
    } catch (RuntimeException e) {
      handle.close();
      afterPrimary(route, null, null, e, start);
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Arm metrics and shadow copies; only for endpoint calls. Never throws: an exception thrown in
   * {@code whenComplete} would fail the primary's future.
   *
   * @param inputs the primary's inputs, which the shadows reuse; null only if {@code error} is not
   */
  private void afterPrimary(
      Route route, ModelInputs inputs, ClassificationResult result, Throwable error, long start) {
    if (route.endpoint().isEmpty()) {
      return;
    }
    try {
      recordArmAndShadow(route, inputs, result, error, start);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "recording the arm or copying to shadows failed", e);
    }
  }

  private void recordArmAndShadow(
      Route route, ModelInputs inputs, ClassificationResult result, Throwable error, long start) {
    String endpoint = route.endpoint().get();
    metrics
        .distribution(
            "arm_latency",
            "ms",
            Map.of(
                "endpoint",
                endpoint,
                "arm",
                route.arm(),
                "outcome",
                error == null ? "ok" : "error"))
        .recordNanos(System.nanoTime() - start);
    if (error == null) {
      for (ModelTarget shadow : route.shadows()) {
        shadows.submit(endpoint, shadow, inputs, result);
      }
    }
  }

  private static ClassificationResult result(
      ClassificationModel model, float[][] logits, ClassificationRequest request) {
    List<ImageClassification> images = new ArrayList<>(logits.length);
    for (float[] imageLogits : logits) {
      images.add(
          new ImageClassification(
              Postprocessing.topClasses(imageLogits, model.labels(), request.topK()),
              request.includeLogits() ? imageLogits : null));
    }
    return new ClassificationResult(model.id(), images);
  }
}
