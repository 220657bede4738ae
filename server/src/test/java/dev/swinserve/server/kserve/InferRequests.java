package dev.swinserve.server.kserve;

import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.InferParameter;
import dev.swinserve.api.kserve.InferTensorContents;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferRequest.InferInputTensor;
import dev.swinserve.api.kserve.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** ModelInfer messages built and read the way tritonclient builds and reads them. */
final class InferRequests {

  private InferRequests() {}

  static ModelInferRequest.Builder to(String model) {
    return ModelInferRequest.newBuilder().setModelName(model);
  }

  /** FP32 {@code [n, side, side, 3]} with typed contents. */
  static InferInputTensor pixels(int side, List<float[]> images) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float[] image : images) {
      for (float value : image) {
        contents.addFp32Contents(value);
      }
    }
    return pixelsShape(side, images.size()).setContents(contents).build();
  }

  static InferInputTensor.Builder pixelsShape(int side, int count) {
    return InferInputTensor.newBuilder()
        .setName("pixels")
        .setDatatype("FP32")
        .addShape(count)
        .addShape(side)
        .addShape(side)
        .addShape(3);
  }

  /** The images as raw_input_contents: little-endian floats, row-major. */
  static ByteString rawPixels(List<float[]> images) {
    ByteBuffer raw =
        ByteBuffer.allocate(images.size() * images.get(0).length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] image : images) {
      for (float value : image) {
        raw.putFloat(value);
      }
    }
    return ByteString.copyFrom(raw.array());
  }

  /** BYTES {@code [n]} with typed contents. */
  static InferInputTensor encoded(List<byte[]> images) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    images.forEach(image -> contents.addBytesContents(ByteString.copyFrom(image)));
    return InferInputTensor.newBuilder()
        .setName("images")
        .setDatatype("BYTES")
        .addShape(images.size())
        .setContents(contents)
        .build();
  }

  /** BYTES elements as raw_input_contents: each a 4-byte little-endian length, then its bytes. */
  static ByteString rawEncoded(List<byte[]> images) {
    int length = images.stream().mapToInt(image -> Integer.BYTES + image.length).sum();
    ByteBuffer raw = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] image : images) {
      raw.putInt(image.length).put(image);
    }
    return ByteString.copyFrom(raw.array());
  }

  static InferParameter string(String value) {
    return InferParameter.newBuilder().setStringParam(value).build();
  }

  /** The elements of a raw BYTES tensor, as UTF-8 strings. */
  static List<String> strings(ByteString raw) {
    ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<String> elements = new ArrayList<>();
    while (buffer.hasRemaining()) {
      byte[] element = new byte[buffer.getInt()];
      buffer.get(element);
      elements.add(new String(element, StandardCharsets.UTF_8));
    }
    return elements;
  }

  /** Output {@code name}'s rows, read from raw_output_contents. */
  static float[][] output(ModelInferResponse response, String name) {
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      if (output.getName().equals(name)) {
        int rows = (int) output.getShape(0);
        int columns = (int) output.getShape(1);
        ByteBuffer raw =
            response.getRawOutputContents(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
          for (int j = 0; j < columns; j++) {
            row[j] = raw.getFloat();
          }
        }
        return values;
      }
    }
    throw new AssertionError("no output '" + name + "' in " + response.getOutputsList());
  }
}
