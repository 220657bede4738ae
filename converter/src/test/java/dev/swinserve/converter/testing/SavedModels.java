package dev.swinserve.converter.testing;

import dev.swinserve.converter.export.SavedModelWriter;
import dev.swinserve.format.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Test helpers: call an exported SavedModel the way any TensorFlow user would, and compare. */
public final class SavedModels {

  private SavedModels() {}

  /** Loads {@code directory} with tag "serve" and returns serving_default's logits, row-major. */
  public static float[] logits(Path directory, FloatTensor pixels) {
    try (SavedModelBundle bundle = SavedModelBundle.load(directory.toString(), SavedModelWriter.TAG);
        TFloat32 input = TFloat32.tensorOf(Shape.of(pixels.shape()), DataBuffers.of(pixels.data(), true, false));
        Result result = bundle.function(SavedModelWriter.SIGNATURE).call(Map.of(SavedModelWriter.INPUT, input))) {
      TFloat32 logits = (TFloat32) result.get(SavedModelWriter.LOGITS).orElseThrow();
      float[] values = new float[(int) logits.shape().size()];
      logits.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }

  /** The fixtures store images NCHW; the SavedModel takes NHWC. */
  public static FloatTensor toNhwc(FloatTensor nchw) {
    long[] shape = nchw.shape();
    int batch = (int) shape[0];
    int channels = (int) shape[1];
    int height = (int) shape[2];
    int width = (int) shape[3];
    float[] source = nchw.data();
    float[] result = new float[source.length];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            result[((n * height + y) * width + x) * channels + c] = source[((n * channels + c) * height + y) * width + x];
          }
        }
      }
    }
    return new FloatTensor(new long[] {batch, height, width, channels}, result);
  }

  /** ‖actual − expected‖ / ‖expected‖ in double precision. */
  public static double relativeError(float[] actual, float[] expected) {
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (double) actual[i] - expected[i];
      difference += d * d;
      norm += (double) expected[i] * expected[i];
    }
    return Math.sqrt(difference / norm);
  }
}
