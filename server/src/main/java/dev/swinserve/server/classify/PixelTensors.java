package dev.swinserve.server.classify;

import dev.swinserve.server.runtime.ClassificationModel;
import java.util.List;

/** Preprocessed pixel tensors from a request, checked and copied into a model's batch. */
final class PixelTensors {

  private PixelTensors() {}

  /**
   * A new NHWC batch for {@code images} and {@code model}, with the pixel tensors copied in ({@link
   * #copy}) and the places of the encoded images left for their decoding.
   */
  static float[] newBatch(ClassificationModel model, List<ImageInput> images) {
    int length = model.inputLength();
    float[] pixels = new float[length * images.size()];
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i) instanceof ImageInput.Pixels tensor) {
        copy(model, tensor, i, pixels, i * length);
      }
    }
    return pixels;
  }

  /**
   * Copies image {@code index} of a request into {@code pixels} from {@code offset} on.
   *
   * @throws InvalidInputException if the tensor's shape is not the model's {@code [height, width,
   *     3]}, it holds another number of values than its shape says, or a value is NaN or infinite
   *     (the model would answer NaN for every class); the message names the image and the first
   *     offending value's row, column and channel
   */
  static void copy(
      ClassificationModel model, ImageInput.Pixels tensor, int index, float[] pixels, int offset) {
    if (tensor.height() != model.height()
        || tensor.width() != model.width()
        || tensor.channels() != 3) {
      throw new InvalidInputException(
          "image "
              + index
              + ": pixels tensor is ["
              + tensor.height()
              + ", "
              + tensor.width()
              + ", "
              + tensor.channels()
              + "], model "
              + model.id()
              + " takes ["
              + model.height()
              + ", "
              + model.width()
              + ", 3]");
    }
    float[] values = tensor.values();
    if (values.length != model.inputLength()) {
      throw new InvalidInputException(
          "image "
              + index
              + ": pixels tensor declares ["
              + tensor.height()
              + ", "
              + tensor.width()
              + ", 3] = "
              + model.inputLength()
              + " values but holds "
              + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        int channel = i % 3;
        int column = (i / 3) % tensor.width();
        int row = i / 3 / tensor.width();
        throw new InvalidInputException(
            "image "
                + index
                + ": pixels tensor holds "
                + values[i]
                + " at row "
                + row
                + ", column "
                + column
                + ", channel "
                + channel
                + " (value "
                + i
                + "); every value must be finite");
      }
    }
    System.arraycopy(values, 0, pixels, offset, values.length);
  }
}
