package dev.swinserve.format.image;

import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.format.tensor.FloatTensor;
import java.util.Objects;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Turns an encoded image (JPEG, PNG, GIF or BMP) into one model input: a float32 {@code [height,
 * width, 3]} (HWC, RGB) array made as {@link PreprocessingSettings} describe, matching Hugging
 * Face's PIL-based image processor to within a fraction of an 8-bit level.
 *
 * <p>Colour handling: grey becomes RGB, alpha is dropped (not composited), palettes are expanded; a
 * GIF yields its first frame. Images whose header announces more than {@code maxPixels} pixels are
 * refused before decoding.
 *
 * <p>Thread-safe: any number of threads may call {@link #preprocess} concurrently (one TensorFlow
 * session serves them all). Owns native TensorFlow resources: {@link #close()} it; close waits for
 * calls in flight, and calls after it throw {@link IllegalStateException}.
 */
public final class ImagePreprocessor implements AutoCloseable {

  /**
   * The default pixel limit: 40 megapixels. Decoding holds 3 bytes a pixel (120 MB at the limit)
   * plus float intermediates a fraction of that size; such an image takes under a second.
   */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  private final PreprocessingSettings settings;
  private final long maxPixels;
  private final int outputLength;
  private final PreprocessingGraph graph;
  private volatile boolean closed;

  /** A preprocessor with the {@link #DEFAULT_MAX_PIXELS default pixel limit}. */
  public ImagePreprocessor(PreprocessingSettings settings) {
    this(settings, DEFAULT_MAX_PIXELS);
  }

  /**
   * Builds the TensorFlow graph once. The first preprocessor in a JVM also loads TensorFlow's
   * native library, about a second.
   *
   * @param maxPixels the largest width × height accepted, positive
   */
  public ImagePreprocessor(PreprocessingSettings settings, long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    this.settings = Objects.requireNonNull(settings, "settings");
    this.maxPixels = maxPixels;
    this.outputLength =
        Math.multiplyExact(Math.multiplyExact(settings.height(), settings.width()), 3);
    this.graph = new PreprocessingGraph(settings);
  }

  public PreprocessingSettings settings() {
    return settings;
  }

  /** The shape of every result: {@code [height, width, 3]}. */
  public long[] outputShape() {
    return new long[] {settings.height(), settings.width(), 3};
  }

  /** The number of floats one image fills: height × width × 3. */
  public int outputLength() {
    return outputLength;
  }

  /**
   * Decodes and preprocesses one image into a new tensor of {@link #outputShape()}.
   *
   * @throws ImageDecodeException if the bytes are empty, of an unsupported format, over the pixel
   *     limit, or corrupt
   */
  public FloatTensor preprocess(byte[] encoded) {
    float[] data = new float[outputLength];
    preprocessInto(encoded, data, 0);
    return new FloatTensor(outputShape(), data);
  }

  /**
   * Like {@link #preprocess} but writes the {@link #outputLength()} floats into {@code destination}
   * from {@code offset} on, so that a batch can be filled in place. On failure {@code destination}
   * is left unchanged.
   *
   * @throws IndexOutOfBoundsException if the floats do not fit from {@code offset}
   */
  public void preprocessInto(byte[] encoded, float[] destination, int offset) {
    Objects.checkFromIndexSize(offset, outputLength, destination.length);
    ImageFormat format = ImageFormat.sniff(encoded);
    ImageDimensions dimensions = ImageDimensions.read(format, encoded);
    if (dimensions.pixels() > maxPixels) {
      throw new ImageDecodeException(
          format
              + " image of "
              + dimensions.width()
              + "x"
              + dimensions.height()
              + " pixels exceeds the limit of "
              + maxPixels
              + " pixels");
    }
    byte[] decodable =
        switch (format) {
          case GIF -> GifFirstFrame.of(encoded);
          case PNG -> PngAncillaryChunks.withoutMetadata(encoded);
          default -> encoded;
        };
    if (closed) {
      throw new IllegalStateException("image preprocessor is closed");
    }
    try {
      graph.run(
          format, decodable, DataBuffers.of(destination, false, false).slice(offset, outputLength));
    } catch (TFResourceExhaustedException e) {
      // Out of memory is the server's trouble, not the caller's: the pixel limit bounds what one
      // valid image may take, so this is no reason to call the image bad.
      throw new IllegalStateException(
          "out of memory preprocessing a "
              + format
              + " image of "
              + dimensions.width()
              + "x"
              + dimensions.height()
              + " pixels: "
              + firstLine(e.getMessage()),
          e);
    } catch (TFInvalidArgumentException | TensorFlowException e) {
      // Decoders report bad data as INVALID_ARGUMENT, a few as UNKNOWN or DATA_LOSS (plain
      // TensorFlowException); TFInvalidArgumentException is not a TensorFlowException.
      throw new ImageDecodeException(
          "corrupt or truncated " + format + " image: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * TensorFlow appends graph context ("[[{{node ...}}]]") on later lines; callers need only the
   * cause.
   */
  private static String firstLine(String message) {
    if (message == null) {
      return "decoding failed";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  @Override
  public void close() {
    closed = true;
    graph.close();
  }
}
