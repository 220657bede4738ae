package dev.swinserve.server.classify;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.RegistryException;
import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.ModelTarget;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.scheduling.DeadlineExpiredException;
import dev.swinserve.server.scheduling.InferenceScheduler;
import dev.swinserve.server.scheduling.OverloadedException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends copies of answered requests to shadow arms and compares their top-1 classes with the
 * primary's. Never blocks and never fails its caller: a copy that finds {@link #maxInFlight()}
 * copies already running is dropped (and counted), and a shadow's errors are only counted. Copies
 * are handed over to one shadow thread every {@link #HAND_OVER_DELAY}, not one by one. Shadows run
 * without the client's deadline, on their own thread, and at {@link RunPriority#BACKGROUND}: queued
 * apart from client calls and computed only on cores they leave idle, so a shadow copy leaves the
 * primary its cores. A shadow that preprocesses like the primary runs on the primary's decoded
 * images; others decode them once per distinct preprocessing ({@link ModelInputs}). A copy holds
 * its request's decoded images until it is done.
 *
 * <p>Series (labels endpoint, shadow): {@code shadow_latency} (plus outcome ok|error; ms, from
 * hand-off to result), {@code shadow_agreement} (one value per compared image: 1 when its top-1
 * class equals the primary's, else 0, so the mean is the agreement rate and the count the images
 * compared) and {@code shadow_dropped} (one value per copy dropped because too many were running).
 *
 * <p>Thread-safe.
 */
public final class ShadowRunner implements Managed {

  private static final System.Logger LOG = System.getLogger(ShadowRunner.class.getName());

  /** Copies running at once across all shadows; more are dropped. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;

  /**
   * How long copies gather before the shadow thread starts them, together: one wake-up per this
   * much time, not one per request, on the cores the primary calls use.
   */
  static final Duration HAND_OVER_DELAY = Duration.ofMillis(10);

  private final Router router;
  private final InferenceScheduler scheduler;
  private final ServerMetrics metrics;
  private final int maxInFlight;
  private final Semaphore inFlight;

  /** Copies handed over and not yet started; bounded by the semaphore. */
  private final Queue<Runnable> handedOver = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ScheduledExecutorService executor;

  @Inject
  public ShadowRunner(
      Router router, InferenceScheduler scheduler, ServerMetrics metrics, ServerThreads threads) {
    this(router, scheduler, metrics, threads, DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * @param threads makes the shadow thread
   */
  public ShadowRunner(
      Router router,
      InferenceScheduler scheduler,
      ServerMetrics metrics,
      ServerThreads threads,
      int maxInFlight) {
    this.router = router;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.executor = threads.timer("shadow");
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /**
   * Hands {@code shadow} a copy of the request {@code primary} answered, with its {@code inputs};
   * returns at once.
   */
  void submit(
      String endpoint, ModelTarget shadow, ModelInputs inputs, ClassificationResult primary) {
    Map<String, String> labels = Map.of("endpoint", endpoint, "shadow", shadow.toString());
    if (!inFlight.tryAcquire()) {
      metrics.distribution("shadow_dropped", "copies", labels).record(1);
      return;
    }
    long start = System.nanoTime();
    handedOver.add(() -> run(shadow, inputs, primary, labels, start));
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        executor.schedule(this::drain, HAND_OVER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        drainScheduled.set(false); // closed: close() drops what is handed over
      }
    }
  }

  /** Starts every copy handed over so far, on the shadow thread. */
  private void drain() {
    drainScheduled.set(false);
    for (Runnable copy = handedOver.poll(); copy != null; copy = handedOver.poll()) {
      copy.run();
    }
  }

  private void run(
      ModelTarget shadow,
      ModelInputs inputs,
      ClassificationResult primary,
      Map<String, String> labels,
      long start) {
    ModelHandle<ClassificationModel> handle = null;
    try {
      handle = router.acquire(shadow);
      ModelHandle<ClassificationModel> held = handle;
      ClassificationModel model = handle.servable();
      float[] pixels = inputs.decodeHere(model);
      scheduler
          .submit(model, pixels, inputs.images(), OptionalLong.empty(), RunPriority.BACKGROUND)
          .whenComplete(
              (logits, error) -> {
                try {
                  finish(labels, start, primary, logits, error);
                } finally {
                  held.close();
                  inFlight.release();
                }
              });
    } catch (RuntimeException | Error e) {
      if (handle != null) {
        handle.close();
      }
      try {
        finish(labels, start, primary, null, e);
      } finally {
        inFlight.release();
      }
    }
  }

  private void finish(
      Map<String, String> labels,
      long start,
      ClassificationResult primary,
      float[][] logits,
      Throwable error) {
    Map<String, String> withOutcome = new HashMap<>(labels);
    withOutcome.put("outcome", error == null ? "ok" : "error");
    metrics
        .distribution("shadow_latency", "ms", withOutcome)
        .recordNanos(System.nanoTime() - start);
    if (error != null) {
      logFailure(labels, error);
      return;
    }
    var agreement = metrics.distribution("shadow_agreement", "agreements", labels);
    for (int i = 0; i < Math.min(logits.length, primary.images().size()); i++) {
      List<ClassificationResult.ClassScore> classes = primary.images().get(i).classes();
      if (!classes.isEmpty()) {
        agreement.record(Postprocessing.argmax(logits[i]) == classes.get(0).index() ? 1 : 0);
      }
    }
  }

  /**
   * A shadow that is missing, loading, overloaded or given a bad image is expected and only
   * counted; anything else is a fault in the server or the model and is logged with its stack: an
   * {@link Error} (out of memory, a native crash surfacing) at ERROR, other exceptions at WARNING.
   */
  private static void logFailure(Map<String, String> labels, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Error) {
      LOG.log(System.Logger.Level.ERROR, "shadow " + labels + " failed", cause);
    } else if (isExpected(cause)) {
      LOG.log(System.Logger.Level.DEBUG, () -> "shadow " + labels + " failed: " + cause);
    } else {
      LOG.log(System.Logger.Level.WARNING, "shadow " + labels + " failed", cause);
    }
  }

  private static boolean isExpected(Throwable cause) {
    return cause instanceof RegistryException
        || cause instanceof ImageDecodeException
        || cause instanceof InvalidInputException
        || cause instanceof OverloadedException
        || cause instanceof DeadlineExpiredException;
  }

  /**
   * Waits until no copy is running, e.g. before reading the metrics of a test or at shutdown.
   *
   * @return false if copies were still running after {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    if (!inFlight.tryAcquire(maxInFlight, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    inFlight.release(maxInFlight);
    return true;
  }

  /**
   * Drops the copies handed over and not yet started; the shadow thread itself stops when the
   * {@link ServerThreads} close.
   */
  @Override
  public void close() {
    int dropped = 0;
    while (handedOver.poll() != null) {
      dropped++;
    }
    inFlight.release(dropped);
  }
}
