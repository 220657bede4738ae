package dev.swinserve.server.kserve;

import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.InferTensorContents;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferRequest.InferInputTensor;
import dev.swinserve.server.classify.ImageInput;
import dev.swinserve.server.classify.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one input tensor of a {@code ModelInfer} call as the server's images. The tensor is read by
 * its datatype, whatever its name: {@code BYTES} of shape {@code [N]} or {@code [N, 1]} holds N
 * encoded images, {@code FP32} of shape {@code [N, H, W, 3]} holds N preprocessed images. Its
 * elements come typed ({@code contents}) or raw ({@code raw_input_contents}: little-endian, a BYTES
 * element as a 4-byte little-endian length and its bytes). Every message names the input.
 */
final class InferInputs {

  /** The names {@code ModelMetadata} gives the two forms. */
  static final String IMAGES = "images";

  static final String PIXELS = "pixels";

  static final String BYTES = "BYTES";
  static final String FP32 = "FP32";

  private InferInputs() {}

  /**
   * @throws InvalidInputException if the request holds other than one input, or the input's
   *     datatype, shape or contents are not one of the two forms
   */
  static List<ImageInput> images(ModelInferRequest request) {
    if (request.getInputsCount() != 1) {
      throw new InvalidInputException(
          "ModelInfer takes one input tensor, '"
              + IMAGES
              + "' (BYTES [N] of encoded images) or '"
              + PIXELS
              + "' (FP32 [N, H, W, 3]); the request holds "
              + request.getInputsCount());
    }
    InferInputTensor input = request.getInputs(0);
    if (request.getRawInputContentsCount() > 1) {
      throw new InvalidInputException(
          "raw_input_contents holds "
              + request.getRawInputContentsCount()
              + " entries for 1 input; it must hold one per input");
    }
    boolean raw = request.getRawInputContentsCount() == 1;
    if (raw && input.hasContents()) {
      throw new InvalidInputException(
          "input '" + input.getName() + "' has both contents and raw_input_contents; send one");
    }
    ByteString rawContents = raw ? request.getRawInputContents(0) : null;
    List<ImageInput> images =
        switch (input.getDatatype()) {
          case BYTES -> encoded(input, rawContents);
          case FP32 -> pixels(input, rawContents);
          default ->
              throw new InvalidInputException(
                  "input '"
                      + input.getName()
                      + "' is "
                      + (input.getDatatype().isEmpty() ? "of no datatype" : input.getDatatype())
                      + "; the model takes BYTES (encoded images) or FP32 (pixels)");
        };
    if (images.isEmpty()) {
      throw new InvalidInputException(
          "input '" + input.getName() + "' of shape " + input.getShapeList() + " holds no images");
    }
    return images;
  }

  private static List<ImageInput> encoded(InferInputTensor input, ByteString raw) {
    List<Long> shape = input.getShapeList();
    if (shape.isEmpty() || shape.size() > 2 || (shape.size() == 2 && shape.get(1) != 1)) {
      throw new InvalidInputException(
          "input '"
              + input.getName()
              + "' is BYTES of shape "
              + shape
              + "; it must be [N] or [N, 1]");
    }
    long count = shape.get(0);
    List<ByteString> elements =
        raw == null ? input.getContents().getBytesContentsList() : lengthPrefixed(input, raw);
    if (elements.size() != count) {
      throw new InvalidInputException(
          "input '"
              + input.getName()
              + "' has shape "
              + shape
              + " but holds "
              + elements.size()
              + " elements");
    }
    List<ImageInput> images = new ArrayList<>(elements.size());
    for (ByteString element : elements) {
      images.add(new ImageInput.Encoded(element.toByteArray()));
    }
    return images;
  }

  private static List<ByteString> lengthPrefixed(InferInputTensor input, ByteString raw) {
    List<ByteString> elements = new ArrayList<>();
    ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (buffer.remaining() < Integer.BYTES) {
        throw new InvalidInputException(
            "input '"
                + input.getName()
                + "': raw contents end inside the length of element "
                + elements.size());
      }
      long length = Integer.toUnsignedLong(buffer.getInt());
      if (length > buffer.remaining()) {
        throw new InvalidInputException(
            "input '"
                + input.getName()
                + "': raw element "
                + elements.size()
                + " announces "
                + length
                + " bytes but "
                + buffer.remaining()
                + " follow");
      }
      int start = buffer.position();
      elements.add(raw.substring(start, start + (int) length));
      buffer.position(start + (int) length);
    }
    return elements;
  }

  private static List<ImageInput> pixels(InferInputTensor input, ByteString raw) {
    List<Long> shape = input.getShapeList();
    if (shape.size() != 4 || shape.get(3) != 3 || shape.stream().anyMatch(size -> size < 1)) {
      throw new InvalidInputException(
          "input '"
              + input.getName()
              + "' is FP32 of shape "
              + shape
              + "; it must be [N, H, W, 3], every dimension at least 1");
    }
    long values;
    try {
      values =
          Math.multiplyExact(
              Math.multiplyExact(Math.multiplyExact(shape.get(0), shape.get(1)), shape.get(2)), 3L);
    } catch (ArithmeticException e) {
      values = Long.MAX_VALUE;
    }
    long held =
        raw == null ? input.getContents().getFp32ContentsCount() : raw.size() / (long) Float.BYTES;
    if (values != held || (raw != null && raw.size() % Float.BYTES != 0)) {
      throw new InvalidInputException(
          "input '"
              + input.getName()
              + "' has shape "
              + shape
              + " but holds "
              + (raw == null ? held + " values" : raw.size() + " raw bytes (4 per value)"));
    }
    int count = Math.toIntExact(shape.get(0));
    int height = Math.toIntExact(shape.get(1));
    int width = Math.toIntExact(shape.get(2));
    int length = height * width * 3;
    FloatBuffer floats =
        raw == null
            ? null
            : raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    InferTensorContents typed = input.getContents();
    List<ImageInput> images = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] image = new float[length];
      if (floats == null) {
        for (int j = 0; j < length; j++) {
          image[j] = typed.getFp32Contents(i * length + j);
        }
      } else {
        floats.get(image);
      }
      images.add(new ImageInput.Pixels(height, width, 3, image));
    }
    return images;
  }
}
