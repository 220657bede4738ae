package dev.swinserve.server.testing;

import dev.swinserve.format.image.ImagePreprocessor;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The reference path for served results: the SavedModel called directly, no server in between. */
public final class DirectModel {

  private DirectModel() {}

  /** Preprocesses {@code image} with the version's own settings and returns its logits. */
  public static float[] logits(Path version, byte[] image) throws IOException {
    PreprocessingSettings settings =
        PreprocessingSettings.read(version.resolve(PreprocessingSettings.ASSET_PATH));
    FloatTensor pixels;
    try (ImagePreprocessor preprocessor = new ImagePreprocessor(settings)) {
      pixels = preprocessor.preprocess(image);
    }
    long[] shape = {1, pixels.shape()[0], pixels.shape()[1], pixels.shape()[2]};
    try (SavedModelBundle bundle = SavedModelBundle.load(version.toString(), "serve");
        TFloat32 input =
            TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(pixels.data(), true, false));
        Result result = bundle.function("serving_default").call(Map.of("pixel_values", input))) {
      TFloat32 logits = (TFloat32) result.get("logits").orElseThrow();
      float[] values = new float[(int) logits.shape().size()];
      logits.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }
}
