package dev.swinserve.server.tfserving;

import com.google.protobuf.ByteString;
import dev.swinserve.api.tensorflow.DataType;
import dev.swinserve.api.tensorflow.TensorProto;
import dev.swinserve.api.tensorflow.TensorShapeProto;
import dev.swinserve.server.classify.ImageInput;
import dev.swinserve.server.classify.InvalidInputException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Predict request's input tensor as the images of a classification request: a float batch of
 * preprocessed pixels, or a string tensor of encoded images. Whether the pixels fit the model is
 * checked later, where the model is known (as for the Classifier's pixel tensors).
 */
final class InputTensors {

  private InputTensors() {}

  /**
   * The images of {@code tensor}, {@code DT_FLOAT [batch, height, width, channels]}, with its
   * values in {@code float_val} or, as {@code tf.make_tensor_proto} writes them, little-endian in
   * {@code tensor_content}.
   *
   * @throws InvalidInputException if the dtype is not {@code DT_FLOAT}, the shape is not of rank 4
   *     with positive sizes, or the tensor holds another number of values than its shape says
   */
  static List<ImageInput> pixels(String alias, TensorProto tensor) {
    requireType(alias, tensor, DataType.DT_FLOAT);
    long[] shape = shape(alias, tensor);
    if (shape.length != 4) {
      throw new InvalidInputException(
          "input '"
              + alias
              + "' must be [batch, height, width, channels], got shape "
              + Arrays.toString(shape));
    }
    long count = elements(alias, shape);
    float[] values = floats(alias, tensor, count);
    int batch = (int) shape[0];
    int height = (int) shape[1];
    int width = (int) shape[2];
    int channels = (int) shape[3];
    int length = height * width * channels;
    List<ImageInput> images = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      images.add(
          new ImageInput.Pixels(
              height, width, channels, Arrays.copyOfRange(values, i * length, (i + 1) * length)));
    }
    return images;
  }

  /**
   * The images of {@code tensor}, {@code DT_STRING} of any shape (usually {@code [batch]}), one
   * encoded image (JPEG, PNG, GIF or BMP) per string.
   *
   * @throws InvalidInputException if the dtype is not {@code DT_STRING} or the tensor holds another
   *     number of strings than its shape says
   */
  static List<ImageInput> encoded(String alias, TensorProto tensor) {
    requireType(alias, tensor, DataType.DT_STRING);
    long count = elements(alias, shape(alias, tensor));
    if (tensor.getStringValCount() != count) {
      throw new InvalidInputException(
          "input '"
              + alias
              + "' has a shape of "
              + count
              + " elements but holds "
              + tensor.getStringValCount()
              + " strings");
    }
    List<ImageInput> images = new ArrayList<>(tensor.getStringValCount());
    for (ByteString image : tensor.getStringValList()) {
      images.add(new ImageInput.Encoded(image.toByteArray()));
    }
    return images;
  }

  private static void requireType(String alias, TensorProto tensor, DataType expected) {
    if (tensor.getDtype() != expected) {
      throw new InvalidInputException(
          "input '" + alias + "' must be " + expected + ", got " + tensor.getDtype());
    }
  }

  private static long[] shape(String alias, TensorProto tensor) {
    TensorShapeProto shape = tensor.getTensorShape();
    if (shape.getUnknownRank()) {
      throw new InvalidInputException("input '" + alias + "' must have a known shape");
    }
    return shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /** The number of elements of {@code shape}, each size positive and the product an int. */
  private static long elements(String alias, long[] shape) {
    long count = 1;
    for (long size : shape) {
      if (size < 1) {
        throw new InvalidInputException(
            "input '"
                + alias
                + "' has shape "
                + Arrays.toString(shape)
                + "; every size must be positive");
      }
      // Both factors are at most Integer.MAX_VALUE here, so the product cannot overflow.
      count = size > Integer.MAX_VALUE ? size : count * size;
      if (count > Integer.MAX_VALUE) {
        throw new InvalidInputException(
            "input '" + alias + "' has shape " + Arrays.toString(shape) + ", too many elements");
      }
    }
    return count;
  }

  private static float[] floats(String alias, TensorProto tensor, long count) {
    ByteString content = tensor.getTensorContent();
    long held = content.isEmpty() ? tensor.getFloatValCount() : content.size() / Float.BYTES;
    if (held != count || content.size() % Float.BYTES != 0) {
      throw new InvalidInputException(
          "input '"
              + alias
              + "' has a shape of "
              + count
              + " elements but holds "
              + (content.isEmpty()
                  ? held + " float_val values"
                  : content.size() + " bytes of tensor_content"));
    }
    float[] values = new float[(int) count];
    if (content.isEmpty()) {
      for (int i = 0; i < values.length; i++) {
        values[i] = tensor.getFloatVal(i);
      }
    } else {
      FloatBuffer floats =
          content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      floats.get(values);
    }
    return values;
  }
}
