package dev.swinserve.converter.testing;

import dev.swinserve.format.ModelVersionLayout;
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
    try (SavedModelBundle bundle =
            SavedModelBundle.load(directory.toString(), ModelVersionLayout.TAG);
        TFloat32 input =
            TFloat32.tensorOf(
                Shape.of(pixels.shape()), DataBuffers.of(pixels.data(), true, false));
        Result result =
            bundle
                .function(ModelVersionLayout.SIGNATURE)
                .call(Map.of(ModelVersionLayout.INPUT, input))) {
      TFloat32 logits = (TFloat32) result.get(ModelVersionLayout.LOGITS).orElseThrow();
      float[] values = new float[(int) logits.shape().size()];
      logits.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }
}
