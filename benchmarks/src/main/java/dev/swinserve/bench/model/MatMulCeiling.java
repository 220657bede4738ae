package dev.swinserve.bench.model;

import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The machine's float32 ceiling as TensorFlow reaches it: GFLOP/s of a square matrix product in a
 * graph session with the same thread settings as the model under test.
 */
final class MatMulCeiling {

  private MatMulCeiling() {}

  /**
   * Best GFLOP/s over {@code repetitions} products of two {@code size}² matrices, after warm-up.
   */
  static double measure(int size, int repetitions, ConfigProto threads) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Shape shape = Shape.of(size, size);
      Placeholder<TFloat32> left = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Placeholder<TFloat32> right = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      MatMul<TFloat32> product = tf.linalg.matMul(left, right);
      try (Session session = new Session(graph, threads);
          TFloat32 a = random(shape, 1);
          TFloat32 b = random(shape, 2)) {
        double best = 0;
        for (int i = 0; i < repetitions + 2; i++) {
          long start = System.nanoTime();
          try (Result ignored =
              session.runner().feed(left, a).feed(right, b).fetch(product).run()) {
            double seconds = (System.nanoTime() - start) / 1e9;
            if (i >= 2) {
              best = Math.max(best, 2.0 * size * size * size / seconds / 1e9);
            }
          }
        }
        return best;
      }
    }
  }

  private static TFloat32 random(Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }
}
