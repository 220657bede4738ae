package dev.swinserve.bench;

import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.runtime.tensorflow.TensorFlowModelLoader;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ceiling for the served path: the same SavedModel, loaded by the same runtime adapter, called
 * in-process with the same preprocessing, no gRPC, no queue. Decoding runs ahead of the model on
 * one thread per core, so the model never waits for it.
 */
final class RawBaseline implements AutoCloseable {

  private final ClassificationModel model;

  private RawBaseline(ClassificationModel model) {
    this.model = model;
  }

  /** Loads and warms {@code version} at every batch size up to {@code maxBatch}. */
  static RawBaseline load(Path version, int maxBatch) throws Exception {
    ClassificationModel model =
        new TensorFlowModelLoader(
                RuntimeConfig.defaults(),
                new BatchingConfig(maxBatch, batchSizesUpTo(maxBatch), Duration.ZERO, 1, 1))
            .load(new ModelVersionId("raw", 1), version, ModelConfig.defaults());
    model.warmUp();
    return new RawBaseline(model);
  }

  private static List<Integer> batchSizesUpTo(int max) {
    List<Integer> sizes = new java.util.ArrayList<>();
    for (int size = 1; size <= max; size *= 2) {
      sizes.add(size);
    }
    if (sizes.get(sizes.size() - 1) != max) {
      sizes.add(max);
    }
    return sizes;
  }

  /**
   * Images per second decoding {@code images} (cycled) and classifying them {@code batch} at a
   * time.
   */
  double imagesPerSecond(List<byte[]> images, int batch, Duration duration) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService decoders = Executors.newFixedThreadPool(cores);
    BlockingQueue<float[]> ready = new ArrayBlockingQueue<>(2);
    Thread producer = new Thread(() -> produce(images, batch, decoders, ready), "raw-producer");
    producer.setDaemon(true);
    producer.start();
    try {
      model.logits(ready.take(), batch);
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long done = 0;
      while (System.nanoTime() < end) {
        model.logits(ready.take(), batch);
        done += batch;
      }
      return done / ((System.nanoTime() - start) / 1e9);
    } finally {
      producer.interrupt();
      decoders.shutdownNow();
    }
  }

  private void produce(
      List<byte[]> images, int batch, ExecutorService decoders, BlockingQueue<float[]> ready) {
    int length = model.inputLength();
    int next = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        float[] pixels = new float[batch * length];
        Future<?>[] decodes = new Future<?>[batch];
        for (int i = 0; i < batch; i++) {
          byte[] image = images.get(next++ % images.size());
          int offset = i * length;
          decodes[i] = decoders.submit(() -> model.preprocess(image, pixels, offset));
        }
        for (Future<?> decode : decodes) {
          decode.get();
        }
        ready.put(pixels);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("raw baseline decoding failed", e);
    }
  }

  /** Latency percentiles (ms) of single-image calls on an already preprocessed tensor. */
  double[] latencyMillis(float[] pixels, Duration duration) {
    double[] samples = new double[1 << 20];
    int count = 0;
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end && count < samples.length) {
      long start = System.nanoTime();
      model.logits(pixels, 1);
      samples[count++] = (System.nanoTime() - start) / 1e6;
    }
    double[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return new double[] {sorted[count / 2], sorted[(int) (count * 0.99)]};
  }

  int inputLength() {
    return model.inputLength();
  }

  @Override
  public void close() {
    model.close();
  }
}
