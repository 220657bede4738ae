package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.format.image.ImagePreprocessor;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchedModel;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * A classifier version backed by a TensorFlow SavedModel and the model-format image preprocessor.
 *
 * <p>{@link RunPriority#BACKGROUND} runs go to a session of their own, created by the first of them
 * on the {@link BackgroundThread}: its threads compute only on cores client calls leave idle. A
 * version that never runs background work never pays for that second copy of its weights.
 *
 * <p>Thread-safe: TensorFlow sessions accept concurrent runs. Owns the bundles and the
 * preprocessor; {@link #close()} waits for model calls in flight, then frees them, and is
 * idempotent. Calls after close throw {@link IllegalStateException} instead of touching freed
 * native memory.
 */
final class TensorFlowClassificationModel implements BatchedModel {

  /** The longest array JVMs reliably allocate. */
  private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private final ModelVersionId id;
  private final List<SavedModelBundle> bundles;

  /**
   * Sessions not running a call; a call takes one and gives it back, so instances run side by side.
   */
  private final BlockingQueue<Session> idle;

  /** Creates the background session; called by the first background run. */
  private final Supplier<SavedModelBundle> backgroundLoader;

  private final Object backgroundLock = new Object();

  /** Null until the first background run; guarded by {@link #backgroundLock}. */
  private SavedModelBundle background;

  private final RuntimeConfig runtime;
  private final BatchingConfig batching;
  private final ImagePreprocessor preprocessor;
  private final ModelAssets assets;
  private final ServingSignature signature;
  private final int inputLength;

  /**
   * Model calls hold the read lock; close takes the write lock so it never frees a running session.
   */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private boolean closed;

  /**
   * Takes ownership of {@code bundles} (one per instance), of {@code preprocessor} and of the
   * session {@code backgroundLoader} creates.
   */
  TensorFlowClassificationModel(
      ModelVersionId id,
      List<SavedModelBundle> bundles,
      Supplier<SavedModelBundle> backgroundLoader,
      ImagePreprocessor preprocessor,
      ModelAssets assets,
      ServingSignature signature,
      RuntimeConfig runtime,
      BatchingConfig batching) {
    this.id = id;
    this.bundles = List.copyOf(bundles);
    this.idle = new ArrayBlockingQueue<>(bundles.size());
    bundles.forEach(bundle -> idle.add(bundle.session()));
    this.backgroundLoader = backgroundLoader;
    this.preprocessor = preprocessor;
    this.assets = assets;
    this.signature = signature;
    this.runtime = runtime;
    this.batching = batching;
    this.inputLength = Math.multiplyExact(signature.height() * signature.width(), 3);
  }

  @Override
  public ModelVersionId id() {
    return id;
  }

  @Override
  public List<String> labels() {
    return assets.labels();
  }

  @Override
  public int height() {
    return signature.height();
  }

  @Override
  public int width() {
    return signature.width();
  }

  @Override
  public int inputLength() {
    return inputLength;
  }

  @Override
  public RuntimeConfig runtime() {
    return runtime;
  }

  @Override
  public BatchingConfig batching() {
    return batching;
  }

  @Override
  public ModelMetadata metadata() {
    return assets.metadata();
  }

  @Override
  public void preprocess(byte[] encoded, float[] destination, int offset) {
    // The preprocessor guards its own session against close.
    preprocessor.preprocessInto(encoded, destination, offset);
  }

  @Override
  public Optional<PreprocessingSettings> preprocessing() {
    return Optional.of(preprocessor.settings());
  }

  @Override
  public float[][] logits(float[] pixels, int batchSize) {
    return logits(pixels, batchSize, RunPriority.NORMAL);
  }

  /** Normal runs take an idle instance; background runs share the background session. */
  @Override
  public float[][] logits(float[] pixels, int batchSize, RunPriority priority) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    long length = (long) batchSize * inputLength;
    if (pixels.length < length) {
      throw new IllegalArgumentException(
          "a batch of "
              + batchSize
              + " "
              + height()
              + "x"
              + width()
              + " images needs "
              + length
              + " floats, got "
              + pixels.length);
    }
    Lock running = lifecycle.readLock();
    running.lock();
    try {
      if (closed) {
        throw new IllegalStateException("model " + id + " is closed");
      }
      if (priority == RunPriority.BACKGROUND) {
        return run(backgroundSession(), pixels, batchSize);
      }
      Session session = takeIdleSession();
      try {
        return run(session, pixels, batchSize);
      } finally {
        idle.add(session);
      }
    } finally {
      running.unlock();
    }
  }

  private float[][] run(Session session, float[] pixels, int batchSize) {
    Shape shape = Shape.of(batchSize, height(), width(), 3);
    // One copy, straight from the Java array into the tensor's native memory.
    try (TFloat32 input =
            TFloat32.tensorOf(
                shape,
                tensor ->
                    tensor
                        .asRawTensor()
                        .data()
                        .asFloats()
                        .write(pixels, 0, batchSize * inputLength));
        Result result =
            session
                .runner()
                .feed(signature.inputTensor(), input)
                .fetch(signature.logitsTensor())
                .run()) {
      return rows((TFloat32) result.get(0), batchSize);
    }
  }

  /**
   * Creates the background session on first use; a failure is thrown to this run and tried again on
   * the next.
   */
  private Session backgroundSession() {
    synchronized (backgroundLock) {
      if (background == null) {
        background = backgroundLoader.get();
      }
      return background.session();
    }
  }

  private Session takeIdleSession() {
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a session of " + id, e);
    }
  }

  private float[][] rows(TFloat32 logits, int batchSize) {
    int classes = labels().size();
    Shape shape = logits.shape();
    if (shape.numDimensions() != 2 || shape.get(0) != batchSize || shape.get(1) != classes) {
      throw new IllegalStateException(
          "model "
              + id
              + " returned logits of shape "
              + shape
              + " for a batch of "
              + batchSize
              + "; expected ["
              + batchSize
              + ", "
              + classes
              + "], one score per label");
    }
    FloatDataBuffer data = logits.asRawTensor().data().asFloats();
    float[][] rows = new float[batchSize][classes];
    for (int row = 0; row < batchSize; row++) {
      data.slice((long) row * classes, classes).read(rows[row]);
    }
    return rows;
  }

  /**
   * Runs {@link #logits} once at each warm-up batch size with zero input, then preprocesses a small
   * PNG.
   *
   * @throws InvalidModelException if a warm-up batch size is too large for one Java array of pixels
   */
  @Override
  public void warmUp() {
    for (int batchSize : batching.warmUpBatchSizes(runtime.warmUpBatchSizes())) {
      long length = (long) batchSize * inputLength;
      if (length > MAX_ARRAY_LENGTH) {
        throw new InvalidModelException(
            "warm_up_batch_sizes: a batch of "
                + batchSize
                + " "
                + height()
                + "x"
                + width()
                + " images needs "
                + length
                + " floats, more than one Java array holds");
      }
      logits(new float[(int) length], batchSize);
    }
    preprocess(WarmUpImage.png(), new float[inputLength], 0);
  }

  @Override
  public void close() {
    Lock exclusive = lifecycle.writeLock();
    exclusive.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        preprocessor.close();
      } finally {
        bundles.forEach(SavedModelBundle::close);
        synchronized (backgroundLock) {
          if (background != null) {
            background.close();
          }
        }
      }
    } finally {
      exclusive.unlock();
    }
  }

  @Override
  public String toString() {
    return "TensorFlowClassificationModel["
        + id
        + ", "
        + height()
        + "x"
        + width()
        + ", "
        + labels().size()
        + " classes]";
  }
}
