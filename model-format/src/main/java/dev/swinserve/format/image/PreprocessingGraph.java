package dev.swinserve.format.image;

import dev.swinserve.format.metadata.PreprocessingSettings;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.image.ScaleAndTranslate;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;

/**
 * One TensorFlow graph that turns encoded bytes into a normalised {@code [height, width, 3]} float
 * image, with a decode branch per format sharing the {@code encoded} placeholder; a run fetches
 * only the branch of the sniffed format, so the other decoders never execute (the format is chosen
 * in Java because TensorFlow's generic DecodeImage cannot take the accurate JPEG DCT). Built once,
 * run in one long-lived session.
 *
 * <p>Thread-safe: TensorFlow sessions accept concurrent runs. Owns its graph and session.
 */
final class PreprocessingGraph implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> encoded;
  private final Map<ImageFormat, Operand<TFloat32>> outputs = new EnumMap<>(ImageFormat.class);

  PreprocessingGraph(PreprocessingSettings settings) {
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      encoded =
          tf.withName("encoded").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      // INTEGER_ACCURATE is libjpeg's islow DCT, the one PIL uses; the default fast DCT is visibly
      // off.
      outputs.put(
          ImageFormat.JPEG,
          normalized(
              tf,
              settings,
              tf.image.decodeJpeg(
                  encoded, DecodeJpeg.channels(3L), DecodeJpeg.dctMethod("INTEGER_ACCURATE"))));
      // channels=3 converts grey and palette to RGB and strips alpha without compositing, like PIL.
      outputs.put(
          ImageFormat.PNG,
          normalized(
              tf, settings, tf.image.decodePng(encoded, TUint8.class, DecodePng.channels(3L))));
      outputs.put(
          ImageFormat.GIF,
          normalized(
              tf,
              settings,
              tf.gather(tf.image.decodeGif(encoded), tf.constant(0), tf.constant(0))));
      outputs.put(ImageFormat.BMP, normalized(tf, settings, rgb(tf, tf.image.decodeBmp(encoded))));
      session = new Session(graph);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Decodes {@code bytes} (already sniffed as {@code format}) and copies the result into {@code
   * destination}, which must hold exactly height × width × 3 floats.
   *
   * @throws org.tensorflow.exceptions.TensorFlowException if TensorFlow cannot decode the bytes
   */
  void run(ImageFormat format, byte[] bytes, FloatDataBuffer destination) {
    try (TString input = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes));
        Result result = session.runner().feed(encoded, input).fetch(outputs.get(format)).run()) {
      TFloat32 image = (TFloat32) result.get(0);
      image.copyTo(destination);
    }
  }

  /**
   * BMP decodes to 1, 3 or 4 channels depending on the file; pick R, G, B (or grey three times)
   * in-graph so that no second run is needed: indices [0, 1, 2] × (channels ≥ 3).
   */
  private static Operand<TUint8> rgb(Ops tf, Operand<TUint8> image) {
    Operand<TInt32> channels =
        tf.slice(tf.shape(image), tf.constant(new int[] {2}), tf.constant(new int[] {1}));
    Operand<TInt32> colour =
        tf.dtypes.cast(tf.math.greaterEqual(channels, tf.constant(3)), TInt32.class);
    return tf.gather(image, tf.math.mul(tf.constant(new int[] {0, 1, 2}), colour), tf.constant(2));
  }

  /**
   * Resizes {@code image} ([h, w, 3] 8-bit) to the model's size the way PIL does, then applies
   * {@code x * rescale} and {@code (x - mean) / std} as one multiply-add.
   *
   * <p>PIL resizes in two passes, horizontal first, and rounds and clips the intermediate image to
   * 8 bits; on sharp-edged images (palette graphics) the cubic overshoot it clips in between
   * changes the result by over 10 levels, so the same two passes are made here. A pass along one
   * axis leaves the other alone: at scale 1 the kernels weigh the sample itself 1 and its
   * neighbours 0.
   */
  private static Operand<TFloat32> normalized(
      Ops tf, PreprocessingSettings settings, Operand<TUint8> image) {
    String kernel = kernel(settings.resample());
    Operand<TInt32> shape = tf.shape(image);
    Operand<TInt32> inputHeight =
        tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> inputWidth =
        tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    Operand<TInt32> height = tf.constant(new int[] {settings.height()});
    Operand<TInt32> width = tf.constant(new int[] {settings.width()});
    Operand<TFloat32> unchanged = tf.constant(new float[] {1f});
    // ScaleAndTranslate reads the 8-bit image as it is, so no float copy of the full image is made.
    Operand<TFloat32> horizontal =
        resizePass(
            tf,
            kernel,
            tf.expandDims(image, tf.constant(0)),
            pair(tf, inputHeight, width),
            pair(tf, unchanged, ratio(tf, width, inputWidth)));
    Operand<TFloat32> resized =
        resizePass(
            tf,
            kernel,
            horizontal,
            pair(tf, height, width),
            pair(tf, ratio(tf, height, inputHeight), unchanged));
    Operand<TFloat32> affine =
        tf.math.add(
            tf.math.mul(resized, tf.constant(multipliers(settings))),
            tf.constant(offsets(settings)));
    return tf.reshape(affine, tf.constant(new int[] {settings.height(), settings.width(), 3}));
  }

  /**
   * One antialiased resize of an NHWC batch to {@code size} ([height, width]). Scale out/in and no
   * translation put output pixel centres where PIL puts them; rounding and clipping to 0..255 make
   * the 8-bit image PIL makes.
   */
  private static Operand<TFloat32> resizePass(
      Ops tf,
      String kernel,
      Operand<? extends TNumber> batch,
      Operand<TInt32> size,
      Operand<TFloat32> scale) {
    Operand<TFloat32> resized =
        tf.image.scaleAndTranslate(
            batch,
            size,
            scale,
            tf.constant(new float[] {0f, 0f}),
            ScaleAndTranslate.kernelType(kernel),
            ScaleAndTranslate.antialias(true));
    return tf.clipByValue(tf.math.round(resized), tf.constant(0f), tf.constant(255f));
  }

  /** {@code [first, second]} from two one-element vectors. */
  private static <T extends TNumber> Operand<T> pair(Ops tf, Operand<T> first, Operand<T> second) {
    return tf.concat(List.of(first, second), tf.constant(0));
  }

  /** {@code output / input} as float, the scale ScaleAndTranslate takes. */
  private static Operand<TFloat32> ratio(Ops tf, Operand<TInt32> output, Operand<TInt32> input) {
    return tf.math.div(
        tf.dtypes.cast(output, TFloat32.class), tf.dtypes.cast(input, TFloat32.class));
  }

  /** ScaleAndTranslate's kernel for a PIL resampling code (both are antialiased in PIL). */
  private static String kernel(int resample) {
    return switch (resample) {
      case PreprocessingSettings.BICUBIC -> "keyscubic";
      case PreprocessingSettings.BILINEAR -> "triangle";
      default -> throw new IllegalArgumentException("unsupported resample " + resample);
    };
  }

  /** Per channel, {@code rescale / std}: the affine form of rescale-then-normalise. */
  private static float[] multipliers(PreprocessingSettings settings) {
    double rescale = settings.doRescale() ? settings.rescaleFactor() : 1.0;
    float[] std = settings.std();
    float[] multipliers = new float[3];
    for (int channel = 0; channel < 3; channel++) {
      multipliers[channel] = (float) (settings.doNormalize() ? rescale / std[channel] : rescale);
    }
    return multipliers;
  }

  /** Per channel, {@code -mean / std}. */
  private static float[] offsets(PreprocessingSettings settings) {
    float[] mean = settings.mean();
    float[] std = settings.std();
    float[] offsets = new float[3];
    for (int channel = 0; channel < 3; channel++) {
      offsets[channel] =
          settings.doNormalize() ? (float) (-(double) mean[channel] / std[channel]) : 0f;
    }
    return offsets;
  }

  /** Waits for runs in flight (TensorFlow's session close does), then frees the graph. */
  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
